import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';

/** fewer ids than this travel in the query text: a file costs a write and an unlink */
const fewest = 1_000;

/**
 * A big id lookup's ids handed to chDB in this process as a file it reads with `file()`,
 * instead of a string literal in the query. ClickHouse lexes, copies and re-reads a 550 KB
 * literal several times before `format()` parses it: for 15,000 ids the whole lookup cost
 * 25–31 ms of CPU that way and 12.5–13.6 ms through a file, the write included (chDB, a
 * million ids stored; bench/view-cost.ts measures the processor's path). The files live in a
 * folder of this process's own (mode 0700), one per lookup, removed when the lookup is done;
 * the folder goes when the store closes. Only ids that passed the UUID pattern are written.
 */
export class IdFiles {
  private dir: Promise<string> | undefined;
  private next = 0;

  /** `SELECT id FROM …` over `ids` for the duration of `run`, or undefined when too few to pay */
  async with<T>(ids: readonly string[], run: (source: string | undefined) => Promise<T>): Promise<T> {
    if (ids.length < fewest) return run(undefined);
    this.dir ??= mkdtemp(join(tmpdir(), 'haidang-lookups-'));
    const path = join(await this.dir, `${process.pid}-${this.next++}.tsv`);
    await writeFile(path, ids.join('\n'), { mode: 0o600 });
    try {
      return await run(`SELECT id FROM file(${sqlString(path)}, TabSeparated, 'id UUID')`);
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

/** a SQL string literal of any text */
export const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** clients opened over chDB in this process, with where their lookups' ids go */
const byClient = new WeakMap<ClickHouseClient, IdFiles>();

export function attachIdFiles(client: ClickHouseClient, files: IdFiles): void {
  byClient.set(client, files);
}

/** the id files of a client opened here over chDB; none for a server, which cannot read this machine's files */
export function idFilesFor(client: ClickHouseClient): IdFiles | undefined {
  return byClient.get(client);
}
