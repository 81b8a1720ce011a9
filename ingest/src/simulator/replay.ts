import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { describeIssues, isStreamName, streams, type AnyEvent, type Logger, type StreamName, type TopicNames, type Transport } from '@haidang/stream';
import { addCounts, publishByTopic } from './publish-by-topic.ts';

export interface ReplayOptions {
  transport: Transport;
  topics: TopicNames;
  logger: Logger;
  /** events per publish round; default 1,000 */
  batchSize?: number;
}

export interface ReplayResult {
  published: number;
  byStream: Partial<Record<StreamName, number>>;
  /** lines not published, 1-based, with the field and reason, as the dead-letter topic would say */
  rejected: Array<{ line: number; field: string; message: string }>;
}

/** Writes events as NDJSON (one JSON event per line), the format replay() reads. */
export async function recordEvents(file: string, events: Iterable<AnyEvent>): Promise<number> {
  const lines: string[] = [];
  for (const e of events) lines.push(JSON.stringify(e));
  await writeFile(file, lines.length ? `${lines.join('\n')}\n` : '');
  return lines.length;
}

/**
 * Publishes a recorded NDJSON file of events, in file order, each to its stream's topic keyed
 * by entity, as fast as the transport takes them. A line that is not a valid event of a known
 * stream is not published (there is no topic to route it to) but reported with its number.
 */
export async function replay(file: string, o: ReplayOptions): Promise<ReplayResult> {
  const batchSize = o.batchSize ?? 1000;
  const log = o.logger.child({ component: 'replay', file });
  const rejected: ReplayResult['rejected'] = [];
  const byStream = new Map<StreamName, number>();
  let published = 0;
  let batch: AnyEvent[] = [];
  const flush = async () => {
    if (!batch.length) return;
    addCounts(byStream, await publishByTopic(o.transport, o.topics, batch));
    published += batch.length;
    batch = [];
  };

  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      rejected.push({ line, field: '(event)', message: `not JSON: ${(e as Error).message}` });
      continue;
    }
    const stream = (value as { stream?: unknown } | null)?.stream;
    if (typeof stream !== 'string' || !isStreamName(stream)) {
      rejected.push({ line, field: 'stream', message: `unknown stream ${JSON.stringify(stream)}` });
      continue;
    }
    const parsed = streams[stream].schema.safeParse(value);
    if (!parsed.success) {
      rejected.push({ line, ...describeIssues(parsed.error) });
      continue;
    }
    batch.push(parsed.data as AnyEvent);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (rejected.length) log.warn({ rejected: rejected.length, first: rejected.slice(0, 5) }, 'replay skipped invalid lines');
  log.info({ published, byStream: Object.fromEntries(byStream) }, 'replay finished');
  return { published, byStream: Object.fromEntries(byStream), rejected };
}
