/**
 * Cost of the processor's per-chunk id check (`heldIds` on `<stream>_ids_by_time`) against a store
 * that already holds many ids, in chDB in this process:
 *   npx tsx bench/id-check.ts [--held 2000000] [--chunk 10000] [--rounds 5]
 * Fills capacity_ids_by_time with `held` ids (half UUIDv7, half random v4: pushes with an
 * Idempotency-Key and uploads have v5 ids, which sort like v4), then times the check of
 * chunks of new ids (v7, as producers recommend; and v4) with 1% already held, and the
 * rare second query that compares the content of held ids. Prints one JSON line per case.
 */
import { mkdtempSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { heldIds, migrate, openStore } from '@haidang/stream';
import { eventLine, rawColumns } from '../stream/src/store/rows.ts';
import { bulkInsertFor } from '../stream/src/store/client.ts';
import { capacityEvent } from './bench-events.ts';

const { values: args } = parseArgs({ options: { held: { type: 'string', default: '2000000' }, chunk: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '5' } } });
const held = Number(args.held);
const chunk = Number(args.chunk);
const rounds = Number(args.rounds);
const store = await openStore({ url: process.env.CLICKHOUSE_URL, dataDir: mkdtempSync(join(tmpdir(), 'haidang-bench-ids-')) });
await migrate(store.client);
await store.client.command({ query: `INSERT INTO capacity_ids_by_time SELECT if(number % 2 = 0, generateUUIDv4(number), generateUUIDv7(number)), 'bench', now64(3) FROM numbers(${held})` });
await store.client.command({ query: 'OPTIMIZE TABLE capacity_ids_by_time FINAL' });
const rs = await store.client.query({ query: `SELECT toString(id) AS i FROM capacity_ids_by_time ORDER BY rand() LIMIT ${Math.ceil(chunk / 100) * rounds}`, format: 'JSONEachRow' });
const known = (await rs.json<{ i: string }>()).map((r) => r.i);
for (const kind of ['v7', 'v4'] as const) {
  const ms: number[] = [];
  let found = 0;
  for (let r = 0; r < rounds; r++) {
    const oldOnes = known.slice(r * Math.ceil(chunk / 100), (r + 1) * Math.ceil(chunk / 100));
    const ids = [...oldOnes, ...Array.from({ length: chunk - oldOnes.length }, () => (kind === 'v7' ? uuidv7() : randomUUID()))];
    const t0 = performance.now();
    found += (await heldIds(store.client, 'capacity', ids)).size;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)]!;
  process.stdout.write(`${JSON.stringify({ case: `heldIds, ${chunk} new ${kind} ids (1% held) against ${held} stored`, medianMs: Math.round(median), perEventUs: Math.round((median * 1000) / chunk * 10) / 10, found: found / rounds })}\n`);
}
// for scale, under the same load: the insert of one chunk of new events into capacity_raw and its views
const ins: number[] = [];
for (let r = 0; r < rounds; r++) {
  const lines = Array.from({ length: chunk }, (_, i) => eventLine(JSON.parse(capacityEvent(r * chunk + i).value), { partition: 0, offset: String(r * chunk + i) }));
  const t0 = performance.now();
  await bulkInsertFor(store.client)({ table: 'capacity_raw', columns: rawColumns('capacity'), body: Buffer.from(`${lines.join('\n')}\n`), settings: { insert_deduplicate: 1, insert_deduplication_token: `bench-${r}`, deduplicate_blocks_in_dependent_materialized_views: 1 }, queryId: randomUUID() });
  ins.push(performance.now() - t0);
}
ins.sort((a, b) => a - b);
const insMedian = ins[Math.floor(ins.length / 2)]!;
process.stdout.write(`${JSON.stringify({ case: `insert of ${chunk} capacity events (raw + views), for scale`, medianMs: Math.round(insMedian), perEventUs: Math.round((insMedian * 1000) / chunk * 10) / 10 })}\n`);
await store.close();
