import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { BigIdLists } from './big-id-lists.ts';
import { sqlString } from './sql-string.ts';

/**
 * A big id lookup's ids handed to chDB in this process as a file it reads with `file()`,
 * instead of a string literal in the query. ClickHouse lexes, copies and re-reads a 550 KB
 * literal several times before `format()` parses it: for 15,000 ids the whole lookup cost
 * 29–34 ms of CPU that way and 18–20 ms through a file, the write included (chDB, a million
 * ids stored). The files live in a folder of this process's own (mode 0700), one per lookup,
 * removed when the lookup is done; the folder goes when the store closes. Only ids that
 * passed the UUID pattern are written.
 */
export class IdFiles implements BigIdLists {
  private dir: Promise<string> | undefined;
  private next = 0;

  constructor(private readonly client: ClickHouseClient) {}

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
