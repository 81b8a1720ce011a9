/**
 * What one id lookup costs chDB, taken apart: the processor's lookup of a chunk of new ids
 * beside statements that do one part of its work each — the statement alone (`SELECT 1`),
 * the time range of the ids table, the id list read from the SQL text, the literal alone — and
 * other ways to write the list. Run in this process on a store that already holds `--stored`
 * capacity events; CPU of the process per statement (the clock moves more on a shared VM).
 *   npx tsx bench/lookup-anatomy.ts [--stored 900000] [--ids 15000] [--rounds 2]
 * Prints one JSON line per statement and round, and a readable line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrate, openStore } from '@haidang/stream';
import { v7Millis } from '../stream/src/store/stored-ids.ts';
import { bulkInsertFor } from '../stream/src/store/client.ts';
import { eventLine, rawColumns } from '../stream/src/store/rows.ts';
import { TsvBody } from '../stream/src/store/tsv.ts';
import { capacityEvent } from './bench-events.ts';

const { values: args } = parseArgs({ options: { stored: { type: 'string', default: '900000' }, ids: { type: 'string', default: '15000' }, rounds: { type: 'string', default: '2' } } });
const perChunk = Number(args.ids);
const log = (s: string) => process.stderr.write(`[lookup-anatomy] ${s}\n`);

const dir = mkdtempSync(join(tmpdir(), 'haidang-lookup-anatomy-'));
const store = await openStore({ dataDir: dir });
let next = 0;
/** a chunk of new capacity events: its insert body and its ids */
function chunk(): { body: Buffer; ids: string[] } {
  const body = new TsvBody(0);
  const ids: string[] = [];
  for (let i = 0; i < perChunk; i++, next++) {
    const e = JSON.parse(capacityEvent(next).value);
    body.add(eventLine(e, { partition: 0, offset: String(next) }));
    ids.push(e.id);
  }
  return { body: body.bytes(), ids };
}

try {
  await migrate(store.client);
  const insert = bulkInsertFor(store.client);
  for (let n = 0; next < Number(args.stored); n++) {
    const c = chunk();
    await insert({ table: 'capacity_raw', columns: rawColumns('capacity'), body: c.body, queryId: `anatomy-${n}`, settings: { insert_deduplicate: 1, insert_deduplication_token: `anatomy-${n}`, deduplicate_blocks_in_dependent_materialized_views: 1, async_insert: 0 } });
    if (n % 10 === 0) log(`stored ${next.toLocaleString('en')}`);
  }
  const probes = Array.from({ length: 10 }, () => chunk().ids);

  const text = (ids: string[], sep = '\\n') => `'${ids.join(sep)}'`;
  const range = (ids: string[]) => {
    const ms = ids.map((id) => v7Millis(id) ?? 0);
    return `UUIDv7ToDateTime(id) BETWEEN fromUnixTimestamp64Milli(${Math.min(...ms)}, 'UTC') AND fromUnixTimestamp64Milli(${Math.max(...ms)}, 'UTC')`;
  };
  const list = (ids: string[]) => `SELECT id FROM format(TabSeparated, 'id UUID', ${text(ids)})`;
  const statements: Record<string, (ids: string[]) => string> = {
    'SELECT 1': () => 'SELECT 1',
    'the time range alone (count)': (ids) => `SELECT count() FROM capacity_ids_by_time WHERE ${range(ids)}`,
    'the id list alone, format() (count)': (ids) => `SELECT count() FROM (${list(ids)})`,
    'the literal alone, length()': (ids) => `SELECT length(${text(ids)})`,
    'the lookup as the processor sends it': (ids) => `SELECT toString(id) AS held FROM capacity_ids_by_time WHERE (${range(ids)}) AND id IN (${list(ids)})`,
    'the lookup without the time range': (ids) => `SELECT toString(id) AS held FROM capacity_ids_by_time WHERE id IN (${list(ids)})`,
    'the ids as has(splitByChar(…))': (ids) => `SELECT toString(id) AS held FROM capacity_ids_by_time WHERE (${range(ids)}) AND has(splitByChar(',', ${text(ids, ',')})::Array(UUID), id)`,
    'the ids as a literal tuple': (ids) => `SELECT toString(id) AS held FROM capacity_ids_by_time WHERE (${range(ids)}) AND id IN (${ids.map((i) => `'${i}'`).join(',')})`,
  };
  for (let round = 1; round <= Number(args.rounds); round++) {
    for (const [name, sql] of Object.entries(statements)) {
      const c0 = process.cpuUsage();
      for (const ids of probes) {
        const query = sql(ids);
        await (await store.client.query({ query, format: 'JSONEachRow', clickhouse_settings: { max_query_size: String(query.length * 2 + 65_536) } })).json();
      }
      const c = process.cpuUsage(c0);
      const cpuMs = Math.round(((c.user + c.system) / 1000 / probes.length) * 10) / 10;
      console.log(JSON.stringify({ bench: 'lookup-anatomy', stored: Number(args.stored), ids: perChunk, round, statement: name, cpuMsPerStatement: cpuMs }));
      console.log(`  round ${round}, ${name}: ${cpuMs} ms of CPU a statement`);
    }
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
