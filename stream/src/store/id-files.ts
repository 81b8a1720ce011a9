import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from './sql-string.ts';

/** fewer ids than this travel in the query text: a file costs more than they do */
export const fewestForFile = 1_000;

/**
 * A big id lookup's ids handed to chDB in this process as a file it reads with `file()`,
 * instead of a string literal in the query. ClickHouse lexes, copies and re-reads a 550 KB
 * literal several times before `format()` parses it: for 15,000 ids the whole lookup cost
 * 29–34 ms of CPU that way and 18–20 ms through a file, the write included (chDB, a million
 * ids stored). The files live in a folder of this process's own (mode 0700), one per lookup,
 * removed when the lookup is done; the folder goes when the store closes. Only ids that
 * passed the UUID pattern are written. Over HTTP the ids stay in the query text: sent as
 * ClickHouse external data (which `haidang store` serves) they cost the workers and the store
 * more (docs/benchmarks.md, "late night").
 */
export class IdFiles {
  private dir: Promise<string> | undefined;
  private next = 0;

  constructor(private readonly client: ClickHouseClient) {}

  /** the rows of `query(source)`, `source` being a SELECT of the ids (one column `id UUID`) */
  async rows<T>(ids: readonly string[], query: (source: string) => string): Promise<T[]> {
    this.dir ??= mkdtemp(join(tmpdir(), 'haidang-lookups-'));
    const path = join(await this.dir, `${process.pid}-${this.next++}.tsv`);
    await writeFile(path, ids.join('\n'), { mode: 0o600 });
    try {
      const rs = await this.client.query({ query: query(`SELECT id FROM file(${sqlString(path)}, TabSeparated, 'id UUID')`), format: 'JSONEachRow' });
      return await rs.json<T>();
    } finally {
      await unlink(path).catch(() => {});
    }
  }

  async close(): Promise<void> {
    const dir = this.dir;
    this.dir = undefined;
    if (dir) await rm(await dir, { recursive: true, force: true }).catch(() => {});
  }
}
