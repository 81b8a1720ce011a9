/**
 * Capacity forecast backtest on simulated epidemic waves (the simulator's tier-2 oxygen beds
 * fill to ~98% and drain). For each seed the city is generated hour by hour with
 * `generateEvents`; every `--every` hours from day 3 on, each scope (city, tier 1–3) and
 * measure (beds, oxygen beds) is forecast from the 14 days before with the api's model, and
 * compared with what happened 24, 48 and 72 h later — against the naive forecast (the last
 * value) in the same run. Also: how often the actual value fell inside the 80% band.
 * Prints one JSON line and one readable table.
 *   npx tsx bench/forecast-backtest.ts [--seeds 20220130,7,42] [--days 30] [--every 6]
 */
import { parseArgs } from 'node:util';
import { loadCityPack } from '@haidang/city';
import { generateEvents } from '@haidang/ingest';
import { historyHours, sumHourly, type HourReport } from '../api/src/forecast/capacity-history.ts';
import { forecastSeries } from '../api/src/forecast/damped-trend.ts';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20220130,7,42' },
    days: { type: 'string', default: '30' },
    every: { type: 'string', default: '6' },
  },
});
const seeds = args.seeds.split(',').map(Number);
const days = Number(args.days);
const every = Number(args.every);
const leads = [24, 48, 72] as const;
const horizon = 72;

const pack = await loadCityPack();
const start = Date.parse('2022-01-30T00:00:00Z');
type Scope = 'city' | 'tier-1' | 'tier-2' | 'tier-3';
const scopes: Scope[] = ['city', 'tier-1', 'tier-2', 'tier-3'];
const measures = ['beds', 'oxygenBeds'] as const;

interface Tally {
  ours: number[];
  naive: number[];
  inBand: number[];
  /** errors as a share of capacity, to compare scopes of different size */
  oursPct: number[];
  naivePct: number[];
  n: number[];
}
const tally = (): Tally => ({ ours: [0, 0, 0], naive: [0, 0, 0], inBand: [0, 0, 0], oursPct: [0, 0, 0], naivePct: [0, 0, 0], n: [0, 0, 0] });
const all = tally();
const byMeasure = { beds: tally(), oxygenBeds: tally() };
const tier2Oxygen = tally();
let forecasts = 0;
const t0 = performance.now();

for (const seed of seeds) {
  const events = generateEvents(pack, { seed, start, end: start + days * 86_400_000, stepMinutes: 60 });
  const reports: HourReport[] = [];
  for (const e of events) {
    if (e.stream !== 'capacity') continue;
    const p = e.payload;
    // stepMinutes = 60: each report is the last (only) one of its hour
    reports.push({ entity: e.entity, tier: p.tier, t: Date.parse(e.observedAt), bedsTotal: p.bedsTotal, bedsOccupied: p.bedsOccupied, oxygenBedsTotal: p.oxygenBedsTotal, oxygenBedsOccupied: p.oxygenBedsOccupied });
  }
  reports.sort((a, b) => a.t - b.t);
  for (const scope of scopes) {
    const h = sumHourly(scope === 'city' ? reports : reports.filter((r) => `tier-${r.tier}` === scope))!;
    for (const m of measures) {
      const y = h[m].occupied;
      const cap = h[m].total;
      for (let o = 72; o + horizon < y.length; o += every) {
        const history = y.slice(Math.max(0, o - historyHours + 1), o + 1);
        const f = forecastSeries(history, cap[o]!, horizon);
        forecasts++;
        leads.forEach((lead, k) => {
          const actual = y[o + lead]!;
          const p = f.points[lead - 1]!;
          for (const t of [all, byMeasure[m], ...(scope === 'tier-2' && m === 'oxygenBeds' ? [tier2Oxygen] : [])]) {
            t.ours[k]! += Math.abs(actual - p.value);
            t.naive[k]! += Math.abs(actual - y[o]!);
            t.oursPct[k]! += Math.abs(actual - p.value) / cap[o]!;
            t.naivePct[k]! += Math.abs(actual - y[o]!) / cap[o]!;
            t.inBand[k]! += actual >= p.low - 1e-9 && actual <= p.high + 1e-9 ? 1 : 0;
            t.n[k]!++;
          }
        });
      }
    }
  }
  process.stderr.write(`[bench] seed ${seed}: ${forecasts} forecasts so far\n`);
}

const summary = (t: Tally) =>
  Object.fromEntries(
    leads.map((lead, k) => [
      `${lead}h`,
      {
        maeOurs: +(t.ours[k]! / t.n[k]!).toFixed(2),
        maeNaive: +(t.naive[k]! / t.n[k]!).toFixed(2),
        maePctOurs: +((100 * t.oursPct[k]!) / t.n[k]!).toFixed(2),
        maePctNaive: +((100 * t.naivePct[k]!) / t.n[k]!).toFixed(2),
        bandCoverage: +(t.inBand[k]! / t.n[k]!).toFixed(3),
        n: t.n[k]!,
      },
    ]),
  );
const result = {
  bench: 'forecast-backtest',
  seeds,
  days,
  originEveryHours: every,
  forecasts,
  msPerForecast: +((performance.now() - t0) / forecasts).toFixed(2),
  all: summary(all),
  beds: summary(byMeasure.beds),
  oxygenBeds: summary(byMeasure.oxygenBeds),
  tier2OxygenBeds: summary(tier2Oxygen),
};
console.log(JSON.stringify(result));
const row = (name: string, s: ReturnType<typeof summary>) =>
  `${name.padEnd(18)}${leads.map((l) => { const x = s[`${l}h`]!; return `${l}h: ${String(x.maeOurs).padStart(6)} vs ${String(x.maeNaive).padStart(6)} beds (${x.maePctOurs}% vs ${x.maePctNaive}% of capacity, band ${Math.round(x.bandCoverage * 100)}%)`; }).join('   ')}`;
console.log(`forecast backtest, ${seeds.length} seeds × ${days} days, ${forecasts} forecasts, ${result.msPerForecast} ms each — mean absolute error, ours vs naive last value:`);
console.log(row('all scopes', result.all));
console.log(row('tier-2 oxygen beds', result.tier2OxygenBeds));
