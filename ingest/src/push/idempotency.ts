import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/**
 * Answers given to pushes that carried an `Idempotency-Key` (IETF draft
 * "The Idempotency-Key HTTP Header Field"): a retry with the same key and body gets the
 * first answer again and publishes nothing; the same key with another body is refused.
 * Concurrent requests with one key in this process wait for the first; across processes
 * the deterministic event ids and the duplicate check before publishing still hold.
 */
export class IdempotencyRecords {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly client: ClickHouseClient) {}

  static bodyHash(body: unknown): string {
    return createHash('sha256').update(JSON.stringify(body)).digest('hex');
  }

  async find(source: string, stream: string, key: string): Promise<{ bodyHash: string; answer: StoredAnswer } | undefined> {
    const rs = await this.client.query({
      query: 'SELECT body_hash, status, response FROM ingest_idempotency FINAL WHERE source = {source:String} AND stream = {stream:String} AND idempotency_key = {key:String}',
      query_params: { source, stream, key },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<{ body_hash: string; status: number; response: string }>();
    return r ? { bodyHash: r.body_hash, answer: { status: Number(r.status), body: JSON.parse(r.response) } } : undefined;
  }

  async save(source: string, stream: string, key: string, bodyHash: string, answer: StoredAnswer): Promise<void> {
    await this.client.insert({
      table: 'ingest_idempotency',
      format: 'JSONEachRow',
      values: [{ source, stream, idempotency_key: key, body_hash: bodyHash, status: answer.status, response: JSON.stringify(answer.body) }],
    });
  }

  /** runs `fn` after any in-flight request with the same key in this process */
  async serialised<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const before = this.inFlight.get(id) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(fn);
    this.inFlight.set(id, run);
    try {
      return await run;
    } finally {
      if (this.inFlight.get(id) === run) this.inFlight.delete(id);
    }
  }
}
