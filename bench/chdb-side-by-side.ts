/**
 * Can chDB run queries side by side in one process? One heavy aggregation is timed alone, then
 * N copies are started at once (a) on one session and (b) on N sessions over the same folder
 * (when chDB allows a second one), each query on one thread. If the engine ran them side by side, N at once would take
 * about as long as one (given spare cores); if it serialises them, N at once take N times one.
 * Prints one JSON line and one readable line.
 *   npx tsx bench/chdb-side-by-side.ts [--rows 20000000] [--parallel 4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from 'chdb';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '20000000' }, parallel: { type: 'string', default: '4' } } });
const rows = Number(args.rows);
const n = Number(args.parallel);
const dir = mkdtempSync(join(tmpdir(), 'haidang-chdb-sbs-'));
const s = new Session(dir);
await s.queryAsync(`CREATE TABLE t (k UInt32, v Float64) ENGINE = MergeTree ORDER BY k AS SELECT number % 1000, sin(number) FROM numbers(${rows})`);
// one thread per query: on two cores, two queries that ran side by side would take about one's time
const heavy = 'SELECT k, quantile(0.9)(v), avg(v) FROM t GROUP BY k ORDER BY k SETTINGS max_threads = 1 FORMAT Null';
const timed = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};
await s.queryAsync(heavy); // warm
const aloneMs = Math.min(await timed(() => s.queryAsync(heavy)), await timed(() => s.queryAsync(heavy)));
// a light query sent while a heavy one runs: does it wait for it?
const lightAloneMs = await timed(() => s.queryAsync('SELECT 1 FORMAT Null'));
const heavyRun = s.queryAsync(heavy);
await new Promise((r) => setTimeout(r, 5));
const lightBehindHeavyMs = await timed(() => s.queryAsync('SELECT 1 FORMAT Null'));
await heavyRun;
const oneSessionMs = await timed(() => Promise.all(Array.from({ length: n }, () => s.queryAsync(heavy))));
let sessions: { ms: number; lightOtherSessionMs: number; secondSeesInsert: boolean } | { refused: string };
try {
  const others = Array.from({ length: n - 1 }, () => new Session(dir));
  const all = [s, ...others];
  const ms = await timed(() => Promise.all(all.map((x) => x.queryAsync(heavy))));
  // a light query on a second session while the first runs a heavy one
  const h = s.queryAsync(heavy);
  await new Promise((r) => setTimeout(r, 5));
  const lightOtherSessionMs = await timed(() => others[0]!.queryAsync('SELECT 1 FORMAT Null'));
  await h;
  // does a second session see at once what the first inserted? (a read pool would need it)
  await s.queryAsync('INSERT INTO t SELECT 4242, 0 FROM numbers(7)');
  const seen = Number((await others[0]!.queryAsync('SELECT count() FROM t WHERE k = 4242', { format: 'CSV' })).text().trim());
  sessions = { ms, lightOtherSessionMs, secondSeesInsert: seen === 7 };
  for (const o of others) o.close();
} catch (e) {
  sessions = { refused: (e as Error).message.split('\n')[0]! };
}
s.close();
rmSync(dir, { recursive: true, force: true });
const r = (x: number) => Math.round(x);
const out = { bench: 'chdb-side-by-side', rows, parallel: n, aloneMs: r(aloneMs), oneSessionParallelMs: r(oneSessionMs), oneSessionRatio: +(oneSessionMs / aloneMs).toFixed(2), nSessions: 'ms' in sessions ? { ms: r(sessions.ms), ratio: +(sessions.ms / aloneMs).toFixed(2), lightBehindHeavyOnOtherSessionMs: r(sessions.lightOtherSessionMs), secondSessionSeesInsertAtOnce: sessions.secondSeesInsert } : sessions, lightAloneMs: +lightAloneMs.toFixed(1), lightBehindHeavyMs: r(lightBehindHeavyMs) };
console.log(JSON.stringify(out));
console.log(`chdb side by side: one heavy query ${out.aloneMs} ms; ${n} at once on one session ${out.oneSessionParallelMs} ms (${out.oneSessionRatio}× one); ${'ms' in sessions ? `${n} sessions ${r(sessions.ms)} ms (${(sessions.ms / aloneMs).toFixed(2)}× one), SELECT 1 on a second session while the first runs a heavy query ${r(sessions.lightOtherSessionMs)} ms, ${sessions.secondSeesInsert ? 'sees' : 'does not see'} the first's insert at once` : `${n} sessions refused: ${sessions.refused}`}; SELECT 1 behind a heavy query ${out.lightBehindHeavyMs} ms (alone ${out.lightAloneMs} ms)`);
