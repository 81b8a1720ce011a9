import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '@haidang/stream';

/**
 * Each poller's position upstream, in ClickHouse (`ingest_poller_cursors`). A cursor is an
 * opaque string the adapter understands (a FHIR `_lastUpdated` instant, a bulletin day).
 * The version is the wall clock in microseconds plus a per-process sequence, so two moves in
 * one millisecond still order.
 */
export class CursorStore {
  private seq = 0n;
  constructor(private readonly client: ClickHouseClient) {}

  async get(poller: string): Promise<string | null> {
    const rs = await this.client.query({
      query: 'SELECT cursor FROM ingest_poller_cursors FINAL WHERE poller = {poller:String}',
      query_params: { poller },
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<{ cursor: string }>();
    return row?.cursor ?? null;
  }

  async set(poller: string, cursor: string): Promise<void> {
    const version = BigInt(Date.now()) * 1000n + (this.seq++ % 1000n);
    await this.client.insert({
      table: 'ingest_poller_cursors',
      format: 'JSONEachRow',
      values: [{ poller, cursor, updated_at: chTime(new Date()), version: version.toString() }],
      // synchronous: the cursor must be on disk before the next page is read
      clickhouse_settings: { async_insert: 0 },
    });
  }
}
