import { HaiDangError } from '@haidang/stream';
import type { Census, KpiTarget, OpeningBalance } from '@haidang/city';
import { kpiComputations, type KpiDefinition } from './definitions.ts';

/** what the KPIs need from the city pack: its zone, its KPI targets, census by age and the opening balance of doses */
export interface CityEvaluation {
  name: { vi: string; en: string };
  /** IANA zone: days, weeks and months are the city's */
  timezone: string;
  kpiTargets: KpiTarget[];
  census?: Census | undefined;
  openingBalance?: OpeningBalance | undefined;
}

export const cityEvaluationOf = (pack: { manifest: { name: { vi: string; en: string }; timezone: string }; kpiTargets: KpiTarget[]; census?: Census | undefined; openingBalance?: OpeningBalance | undefined }): CityEvaluation => ({
  name: pack.manifest.name,
  timezone: pack.manifest.timezone,
  kpiTargets: pack.kpiTargets,
  census: pack.census,
  openingBalance: pack.openingBalance,
});

/**
 * The city's KPIs: each target of the pack joined with how it is computed. A target the api
 * cannot compute stops start-up (a KPI that silently never shows would be worse).
 */
export class KpiCatalogue {
  readonly definitions: readonly KpiDefinition[];
  readonly byId: ReadonlyMap<string, KpiDefinition>;
  readonly timezone: string;

  constructor(readonly city: CityEvaluation) {
    this.timezone = city.timezone;
    const unknown = city.kpiTargets.filter((t) => !kpiComputations[t.id]);
    if (unknown.length) throw new HaiDangError('HD_CONFIG_INVALID', `kpi-targets.json: no computation for ${unknown.map((t) => `"${t.id}"`).join(', ')} (known: ${Object.keys(kpiComputations).join(', ')})`);
    this.definitions = city.kpiTargets.map((t): KpiDefinition => {
      const c = kpiComputations[t.id]!;
      if (c.cumulative && !t.cohort) throw new HaiDangError('HD_CONFIG_INVALID', `kpi-targets.json: "${t.id}" needs a cohort (doseNumber, ageGroups)`);
      return {
        ...c,
        id: t.id,
        name: t.name,
        target: t.target,
        direction: t.direction === 'atMost' ? 'max' : 'min',
        period: t.period,
        origin: t.origin,
        basis: t.basis,
        sources: t.sources,
        cohort: t.cohort,
      };
    });
    this.byId = new Map(this.definitions.map((d) => [d.id, d]));
  }

  /** the census of the cohort's age groups (the pack's census as the definition says), or null without a census */
  populationOf(def: KpiDefinition): number | null {
    if (!def.cohort) return null;
    const census = this.city.census;
    if (!census) return null;
    return census.groups.filter((g) => def.cohort!.ageGroups.includes(g.ageGroup)).reduce((a, g) => a + g.population, 0);
  }
}
