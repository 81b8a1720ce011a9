/**
 * Evaluation report build: a year of the simulated city (every stream, `--step` minutes per
 * reading) is stored in chDB through the real processor, then the report of that year is
 * built both ways — XLSX and PDF — with the api's own modules (the same calls the route
 * makes). Prints one JSON line and one readable line: seconds per format, file sizes, the
 * process's peak RSS (chDB included) and the peak JS heap while building; then the cumulative
 * KPIs of that year without and with the pack's opening balance (before/after the baseline).
 *   npx tsx bench/report-build.ts [--days 365] [--step 180] [--out dir]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { migrate, openStore, startEmbeddedPipeline, type AnyEvent } from '@haidang/stream';
import { loadCityPack } from '@haidang/city';
import { scenario } from '@haidang/ingest';
import { EvaluationPdf } from '../api/src/reports/evaluation-pdf.ts';
import { evaluationXlsx } from '../api/src/reports/evaluation-xlsx.ts';
import { cityEvaluationOf, KpiCatalogue } from '../api/src/kpi/city-kpis.ts';
import { kpiEvaluate } from '../api/src/kpi/engine.ts';
import { OpeningBalances } from '../api/src/kpi/opening-balance.ts';
import { migrateApi } from '../api/src/migrations/index.ts';
import { readReport } from '../api/src/reports/report-content.ts';

const { values: args } = parseArgs({ options: { days: { type: 'string', default: '365' }, step: { type: 'string', default: '180' }, out: { type: 'string' } } });
const days = Number(args.days);
const from = new Date('2022-08-15T00:00:00+07:00');
const to = new Date(from.getTime() + days * 86_400_000);
const logger = pino({ level: 'warn' });

const dataDir = mkdtempSync(join(tmpdir(), 'haidang-bench-report-'));
const store = await openStore({ url: process.env.CLICKHOUSE_URL, dataDir });
await migrate(store.client);
await migrateApi(store.client);
const pipeline = await startEmbeddedPipeline({ store: store.client, logger, groupId: 'bench', partitions: 4 });
const { transport, topics } = pipeline;

const pack = await loadCityPack();
const catalogue = new KpiCatalogue(cityEvaluationOf(pack));
const balance = await new OpeningBalances(store.client, pack.openingBalance).current();
const loadStart = performance.now();
let stored = 0;
let pending: AnyEvent[] = [];
const flush = async () => {
  const byStream = new Map<AnyEvent['stream'], AnyEvent[]>();
  for (const e of pending) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
  await Promise.all([...byStream].map(([s, list]) => transport.publish(topics.of(s), list.map((e) => ({ key: e.entity, value: Buffer.from(JSON.stringify(e)) })))));
  stored += pending.length;
  pending = [];
};
for (const step of scenario(pack, { seed: 20220815, start: from, end: to, stepMinutes: Number(args.step) }).run()) {
  pending.push(...(step as AnyEvent[]));
  if (pending.length >= 20_000) {
    await flush();
    process.stderr.write(`[bench] stored ${stored} events\n`);
  }
}
await flush();
const loadSeconds = (performance.now() - loadStart) / 1000;

// peak memory while building: RSS (the whole process, chDB's engine included) and JS heap
let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const rssBefore = process.memoryUsage().rss;
const sampler = setInterval(sample, 20);
const period = { id: null, from, to };

const t0 = performance.now();
const contentX = await readReport(store.client, catalogue, balance, period, () => sample());
const xlsx = await evaluationXlsx(contentX);
const xlsxSeconds = (performance.now() - t0) / 1000;

const t1 = performance.now();
const content = await readReport(store.client, catalogue, balance, period, () => sample());
const { sections } = content;
const pdf = new EvaluationPdf(period, content.title, content.tz, content.city);
const chunks: Buffer[] = [];
pdf.doc.on('data', (c: Buffer) => chunks.push(c));
const ended = new Promise((resolve) => pdf.doc.on('end', resolve));
pdf.summary(sections.flatMap((s) => s.summary.map((row) => ({ def: s.def, row }))));
sections.forEach((s, i) => pdf.chart(i, s.def, s.series));
pdf.missing(content.coverage);
pdf.system(content.system);
pdf.end();
await ended;
const pdfSeconds = (performance.now() - t1) / 1000;
clearInterval(sampler);
sample();
const pdfBytes = Buffer.concat(chunks);
if (args.out) {
  writeFileSync(join(args.out, 'report.xlsx'), xlsx);
  writeFileSync(join(args.out, 'report.pdf'), pdfBytes);
}

// the cumulative KPIs over the year: from zero (no opening balance) and from the pack's opening balance;
// and first-dose coverage as the engine defined it before (first doses of every age / every resident, no opening balance)
const cityPopulation = pack.wards.features.reduce((a, f) => a + f.properties.population, 0);
const [old] = await (
  await store.client.query({ query: `SELECT sum(doses) / {population:UInt64} AS v FROM vaccination_asof FINAL WHERE dose_number = 1 AND observed_at < {to:DateTime64(3, 'UTC')}`, query_params: { population: cityPopulation, to: to.toISOString().replace('T', ' ').replace('Z', '') }, format: 'JSONEachRow' })
).json<{ v: number }>();
const oldDose1Coverage = old?.v ?? null;
const baseline: Record<string, { withoutOpening: number | null; withOpening: number | null }> = {};
for (const def of catalogue.definitions.filter((d) => d.cumulative)) {
  const [without] = await kpiEvaluate(store.client, catalogue, def, from, to, null);
  const [withOpening] = await kpiEvaluate(store.client, catalogue, def, from, to, balance);
  baseline[def.id] = { withoutOpening: without!.actual, withOpening: withOpening!.actual };
}

await pipeline.stop();
await store.close();
rmSync(dataDir, { recursive: true, force: true });

const mib = (b: number) => +(b / 2 ** 20).toFixed(1);
const result = {
  bench: 'report-build',
  days,
  events: stored,
  loadSeconds: +loadSeconds.toFixed(1),
  xlsx: { seconds: +xlsxSeconds.toFixed(2), bytes: xlsx.length, sheets: sections.length + 3, seriesPoints: sections.reduce((a, s) => a + s.series.length, 0) },
  pdf: { seconds: +pdfSeconds.toFixed(2), bytes: pdfBytes.length },
  peakRssMiB: mib(peakRss),
  rssBeforeBuildMiB: mib(rssBefore),
  peakHeapMiB: mib(peakHeap),
  baseline,
  oldDose1Coverage,
};
console.log(JSON.stringify(result));
console.log(
  `one-year evaluation report (${stored} events): XLSX ${result.xlsx.seconds} s (${Math.round(xlsx.length / 1024)} KiB), PDF ${result.pdf.seconds} s (${Math.round(pdfBytes.length / 1024)} KiB); peak RSS ${result.peakRssMiB} MiB (${result.rssBeforeBuildMiB} MiB before building, chDB included), peak JS heap ${result.peakHeapMiB} MiB`,
);
console.log(`first-dose coverage as defined before (every age's first doses / every resident, no opening balance): ${oldDose1Coverage === null ? '—' : (oldDose1Coverage * 100).toFixed(1)}%`);
for (const [id, b] of Object.entries(baseline)) console.log(`${id} over the year: ${b.withoutOpening === null ? '—' : (b.withoutOpening * 100).toFixed(1)}% from zero → ${b.withOpening === null ? '—' : (b.withOpening * 100).toFixed(1)}% with the opening balance`);
