import type { CityPack } from './pack-schema.ts';
import { packFiles } from './pack-schema.ts';
import type { PackIssue } from './pack-error.ts';

type Checked = Omit<CityPack, 'dir'>;

/** Ids that must be unique within their file, since each becomes an event key. */
function duplicates(file: string, label: string, ids: string[], what: (i: number) => string): PackIssue[] {
  const seen = new Map<string, number>();
  const out: PackIssue[] = [];
  ids.forEach((id, i) => {
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else out.push({ file, record: what(i), field: label, message: `duplicate "${id}" (first at index ${first})` });
  });
  return out;
}

/**
 * Rules that span files: every reference resolves (a facility's ward, a market's
 * commodities), and ids are unique. Schema checks ran first, so shapes are known good.
 */
export function crossCheck(p: Checked): PackIssue[] {
  const issues: PackIssue[] = [];
  const wardCodes = new Set(p.wards.features.map((f) => f.properties.code));
  const commodityIds = new Set(p.commodities.map((c) => c.id));
  const item = (i: number, id: string) => `item ${i} (id "${id}")`;

  issues.push(
    ...duplicates(packFiles.wards, 'properties.code', p.wards.features.map((f) => f.properties.code), (i) => `feature ${i}`),
    ...duplicates(packFiles.facilities, 'id', p.facilities.map((f) => f.id), (i) => `item ${i}`),
    ...duplicates(packFiles.markets, 'id', p.markets.map((m) => m.id), (i) => `item ${i}`),
    ...duplicates(packFiles.commodities, 'id', p.commodities.map((c) => c.id), (i) => `item ${i}`),
    ...duplicates(packFiles.agencies, 'id', p.agencies.map((a) => a.id), (i) => `item ${i}`),
    ...duplicates(packFiles.kpiTargets, 'id', p.kpiTargets.map((k) => k.id), (i) => `item ${i}`),
  );

  const wardRef = (file: string, rows: Array<{ id: string; wardCode: string }>) =>
    rows.forEach((r, i) => {
      if (!wardCodes.has(r.wardCode)) issues.push({ file, record: item(i, r.id), field: 'wardCode', message: `ward "${r.wardCode}" is not in ${packFiles.wards}` });
    });
  wardRef(packFiles.facilities, p.facilities);
  wardRef(packFiles.markets, p.markets);
  wardRef(packFiles.agencies, p.agencies);

  p.markets.forEach((m, i) =>
    m.commodities.forEach((c, j) => {
      if (!commodityIds.has(c)) issues.push({ file: packFiles.markets, record: item(i, m.id), field: `commodities.${j}`, message: `commodity "${c}" is not in ${packFiles.commodities}` });
    }),
  );

  // a coverage KPI divides by the census of its age groups; the census adds up to the wards
  p.kpiTargets.forEach((k, i) => {
    if (k.cohort && k.stream !== 'vaccination') issues.push({ file: packFiles.kpiTargets, record: item(i, k.id), field: 'cohort', message: 'a cohort is for vaccination KPIs only' });
    if (k.cohort && !p.census) issues.push({ file: packFiles.kpiTargets, record: item(i, k.id), field: 'cohort', message: `a coverage KPI needs ${packFiles.census} (population by age group)` });
    k.cohort?.ageGroups.forEach((g, j) => {
      if (p.census && !p.census.groups.some((c) => c.ageGroup === g)) issues.push({ file: packFiles.kpiTargets, record: item(i, k.id), field: `cohort.ageGroups.${j}`, message: `age group "${g}" is not in ${packFiles.census}` });
    });
  });
  if (p.census) {
    const wardsTotal = p.wards.features.reduce((a, f) => a + f.properties.population, 0);
    const censusTotal = p.census.groups.reduce((a, g) => a + g.population, 0);
    if (censusTotal !== wardsTotal) issues.push({ file: packFiles.census, record: '', field: 'groups', message: `age groups sum to ${censusTotal}, the wards to ${wardsTotal}` });
    issues.push(...duplicates(packFiles.census, 'ageGroup', p.census.groups.map((g) => g.ageGroup), (i) => `item ${i}`));
  }

  // the dossier stream needs one agency serving the whole city for city-level KPIs
  if (p.agencies.length && !p.agencies.some((a) => a.serves === 'city')) {
    issues.push({ file: packFiles.agencies, record: '', field: 'serves', message: 'no agency serves the whole city (expected one with serves: "city", the one-stop shop)' });
  }
  return issues;
}
