import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, MemoryTransport, TopicNames } from '@haidang/stream';
import { afterAll, expect, it } from 'vitest';
import { loadCityPack } from '@haidang/city';
import { generateEvents, recordEvents, replay } from '../../src/index.ts';
import { consumeAll } from './consume-all.ts';

const tinyDir = path.resolve(import.meta.dirname, '../../../city/test/fixtures/tiny-pack');
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('replays a recorded NDJSON file to the topics, reporting bad lines by number', async () => {
  const pack = await loadCityPack(tinyDir);
  const events = generateEvents(pack, { seed: 9, start: '2022-05-02T00:00:00Z', end: '2022-05-03T00:00:00Z', stepMinutes: 30 });
  dir = await mkdtemp(path.join(tmpdir(), 'replay-'));
  const file = path.join(dir, 'run.ndjson');
  expect(await recordEvents(file, events)).toBe(events.length);
  const bad = { ...events[0]!, payload: { ...events[0]!.payload, bedsTotal: -1 } };
  await appendFile(file, `${JSON.stringify(bad)}\nnot json\n{"stream":"weather"}\n`);

  const topics = new TopicNames(`p${Date.now()}.`);
  const transport = new MemoryTransport();
  await transport.ensureTopics(topics.all(), 2);
  const result = await replay(file, { transport, topics, logger: createLogger('silent'), batchSize: 50 });

  expect(result.published).toBe(events.length);
  expect(result.rejected.map((r) => [r.line, r.field])).toEqual([
    [events.length + 1, 'payload.bedsTotal'],
    [events.length + 2, '(event)'],
    [events.length + 3, 'stream'],
  ]);
  const got = await consumeAll(transport, topics.all().slice(0, 4), events.length);
  expect(got.map((m) => m.value.id).sort()).toEqual(events.map((e) => e.id).sort());
  await transport.close();
});
