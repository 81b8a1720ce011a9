/**
 * What the store spends on an event, by part, at a given insert size: the processor's per-chunk
 * path (id lookup, then the insert into `capacity_raw` and every view on it) run on chDB in this
 * process, from prepared bodies, and the CPU of the whole process counted until the merges it
 * set off are done. CPU, not the clock: on a shared VM it moves far less (bench:peers' note).
 * Each case starts on a fresh store; `--without` switches parts off for that comparison:
 * `lookup`, or a view's name (capacity_ids_by_time_mv, capacity_kpi_1h_mv, capacity_1h_mv…).
 *   npx tsx bench/view-cost.ts [--events 1000000] [--rows 8000,20000] [--without lookup] [--without capacity_ids_by_time_mv,capacity_kpi_1h_mv]
 * Without --without it compares everything on, the id view and KPI-hours view off, and the lookup off.
 * Prints one JSON line per case and a readable line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { heldIds, migrate, openStore } from '@haidang/stream';
import { bulkInsertFor } from '../stream/src/store/client.ts';
import { eventLine, rawColumns } from '../stream/src/store/rows.ts';
import { TsvBody } from '../stream/src/store/tsv.ts';
import { capacityEvent } from './bench-events.ts';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, rows: { type: 'string', default: '8000,20000' }, without: { type: 'string', multiple: true } } });
const events = Number(args.events);
const sizes = args.rows.split(',').map(Number);
const variants = (args.without ?? ['', 'capacity_ids_by_time_mv,capacity_kpi_1h_mv', 'lookup']).map((w) => w.split(',').filter(Boolean));
const log = (s: string) => process.stderr.write(`[view-cost] ${s}\n`);

async function run(rows: number, without: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'haidang-view-cost-'));
  const store = await openStore({ dataDir: dir });
  try {
    await migrate(store.client);
    for (const view of without.filter((w) => w !== 'lookup')) await store.client.command({ query: `DROP VIEW ${view}` });
    const lookup = !without.includes('lookup');
    const insert = bulkInsertFor(store.client);
    // bodies and ids made before the clock starts: only the store's work is counted
    const chunks: Array<{ body: Buffer; ids: string[] }> = [];
    for (let from = 0; from < events; from += rows) {
      const body = new TsvBody(0);
      const ids: string[] = [];
      for (let i = from; i < Math.min(events, from + rows); i++) {
        const e = JSON.parse(capacityEvent(i).value);
        body.add(eventLine(e, { partition: 0, offset: String(i) }));
        ids.push(e.id);
      }
      chunks.push({ body: body.bytes(), ids });
    }
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const [n, c] of chunks.entries()) {
      if (lookup) await heldIds(store.client, 'capacity', c.ids);
      await insert({ table: 'capacity_raw', columns: rawColumns('capacity'), body: c.body, queryId: `view-cost-${n}`, settings: { insert_deduplicate: 1, insert_deduplication_token: `view-cost-${n}`, deduplicate_blocks_in_dependent_materialized_views: 1, async_insert: 0 } });
    }
    const seconds = (performance.now() - t0) / 1000;
    const c1 = process.cpuUsage(c0);
    // then the merges these inserts set off, until none runs (at most a minute)
    for (let i = 0; i < 120; i++) {
      const [m] = await (await store.client.query({ query: 'SELECT count() AS n FROM system.merges', format: 'JSONEachRow' })).json<{ n: string }>();
      if (m?.n === '0') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const c2 = process.cpuUsage(c0);
    const us = (c: NodeJS.CpuUsage) => Math.round(((c.user + c.system) / events) * 10) / 10;
    return { rowsPerInsert: rows, inserts: chunks.length, without, cpuUsPerEventWhileInserting: us(c1), cpuUsPerEventWithMerges: us(c2), eventsPerSecond: Math.round(events / seconds) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Awaited<ReturnType<typeof run>>[] = [];
for (const rows of sizes) {
  for (const without of variants) {
    log(`${rows} rows an insert${without.length ? `, without ${without.join(' and ')}` : ''}`);
    const r = await run(rows, without);
    results.push(r);
    console.log(JSON.stringify({ bench: 'view-cost', events, ...r }));
    console.log(`  ${rows.toLocaleString('en')} rows an insert${without.length ? `, without ${without.join(' and ')}` : ', everything on'}: ${r.cpuUsPerEventWithMerges} µs of CPU an event with its merges (${r.cpuUsPerEventWhileInserting} while inserting), ${r.eventsPerSecond.toLocaleString('en')} events/s`);
  }
}
