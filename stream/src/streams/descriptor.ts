import type { z } from 'zod';
import type { TsvValue } from '../store/tsv.ts';
import type { RoleName } from './role-names.ts';

/** a text in the two languages the wall speaks */
interface Text {
  vi: string;
  en: string;
}

/** what a field holds, as a client shows it and an upload cell is read */
type FieldType = 'integer' | 'number' | 'boolean' | 'string' | 'enum';

/**
 * One field of a stream's payload: where it is in the payload, the column that stores it,
 * how the wall labels it and how a department's spreadsheet names it.
 */
interface StreamField<P> {
  /** the payload path, dotted for nested objects ('patientsBySupport.mask') */
  path: string;
  /** the column of the stream's tables */
  column: string;
  /** its ClickHouse type (what `haidang migration new` writes) */
  store: string;
  /** the column's value from a valid payload (the row encoding; absent optional → null or a default) */
  read: (payload: P) => TsvValue;
  type: FieldType;
  label: Text;
  /** shown after a value: 'VND', 'L', '%', … */
  unit?: string | undefined;
  /** part of what identifies one series besides the entity (the supersession key) */
  dimension?: boolean | undefined;
  /** counters: the field adds up over reports; default: true for the numbers of a counter stream that are no dimension */
  summed?: boolean | undefined;
  /** the spreadsheet column: Vietnamese headers (the first is the template's), an example cell, required or not */
  /** `cell: 'month'`: a month cell, written 08/2022, 8/2022, 2022-08 or a date Excel made of it, read as `YYYY-MM` */
  upload: { headers: readonly string[]; example: string; required: boolean; cell?: 'month' | undefined };
}

/** a share the wall shows, from two numeric fields of the current state (payload paths) */
interface StreamRatio {
  name: string;
  numerator: string;
  denominator: string;
  label: Text;
}

/** when a stream is expected to report: the default the city pack may override */
interface StreamCadenceDefault {
  /** expected time between two reports, minutes */
  cadenceMinutes: number;
  /** local reporting hours "HH:MM"; null = around the clock */
  hours: { from: string; to: string } | null;
  /** days it reports on, 0 = Sunday; absent = every day */
  weekdays?: number[] | undefined;
}

/**
 * A KPI computed from the stream: one SELECT returning `t`, `series` and `value` (the
 * placeholders and parameters are the kpi engine's, api/src/kpi/definitions.ts). Its name,
 * target and period are the city pack's (`kpi-targets.json`), joined by id.
 */
interface StreamKpi {
  id: string;
  unit: 'ratio' | 'doses';
  /** true: the value at a time counts everything before it (opening balance included) */
  cumulative: boolean;
  description: string;
  sql: string;
}

/** one tick of simulated time, as the simulator hands it to a stream's hook */
export interface SimulatedStep {
  /** end of the step, epoch ms: readings are "as of" this instant */
  t: number;
  stepMinutes: number;
  /** 0 at the window's start, 1 at its end */
  progress: number;
  /** the city's local time at `t` */
  local: { weekday: number; minuteOfDay: number; year: number; month: number; day: number };
}

/** what the simulator gives a stream's hook: the entities of the city pack and a seeded random source */
interface SimulatorContext {
  seed: number;
  /** the pack's entities of the stream's kind (the objects of `entity.places` in the pack), as the pack has them */
  entities: ReadonlyArray<Readonly<Record<string, unknown>> & { id: string }>;
  /** a deterministic random number in [0, 1) per call; one sequence per label */
  random(label: string): () => number;
  windowMinutes: number;
}

/** a stream's part of the simulated city: keeps its own state, reports at each step */
type SimulatorHook<P> = (ctx: SimulatorContext) => { step(s: SimulatedStep): Array<{ entity: string; payload: P }> };

/**
 * A table the evaluation report shows for the stream besides its KPIs (each project's
 * disbursement, …): one SELECT over the report's period (`{from:DateTime64(3, 'UTC')}`,
 * `{to:DateTime64(3, 'UTC')}`, `{tz:String}`), its columns named as `columns` say.
 */
interface StreamReportTable {
  title: Text;
  sql: string;
  /** 'vnd' is shown in millions of đồng (say so in the label), 'ratio' as a percentage, 'percent' is already one */
  columns: ReadonlyArray<{ name: string; label: Text; format: 'text' | 'integer' | 'vnd' | 'ratio' | 'percent' | 'yesNo' }>;
}

/**
 * An alert rule judged on each stored report of the stream: `read` gives the report's value
 * (and the series it belongs to within its entity) or null when the report does not count;
 * the episode fires once the breach has lasted `forSeconds` of observed time, and resolves
 * when a report is back within the threshold (api/src/alerts).
 */
interface StreamAlert<P> {
  id: string;
  op: '>=' | '<';
  threshold: number;
  forSeconds: number;
  severity: 'info' | 'warning' | 'critical';
  message: Text;
  read: (payload: P) => { series: string; value: number } | null;
}

/**
 * Everything Hải Đăng knows about one data stream, in one place (stream/src/streams/<name>/).
 * The topic, tables, upload columns, OpenAPI schemas, live channel, roles, cadence, KPIs and
 * the manifest the dashboard reads are all derived from it; the registry (streams/index.ts)
 * lists the descriptors and nothing else enumerates streams.
 */
export interface StreamDescriptor<N extends string = string, S extends z.ZodType = z.ZodType> {
  name: N;
  /** the Kafka topic: `ioc.<name>.v<version>` */
  topic: string;
  /** the schema version this build reads */
  version: 1;
  /** the strict payload contract (zod): validation, types and the OpenAPI schemas come from it */
  payload: S;
  /** the strict event contract (envelope + payload), from `eventSchema(name, payload)` */
  event: z.ZodType;
  /** gauge: a report replaces the entity's current value; counter: reports add up */
  kind: 'gauge' | 'counter';
  label: Text;
  /**
   * what one entity is: `places` names the city pack's list of them (facilities, wards, …) and
   * `idField` the id in it (default 'id'); `key` is the Kafka key as docs/contracts.md says it
   */
  entity: { kind: string; label: Text; places: string; idField?: string | undefined; key: string; upload: { headers: readonly string[]; example: string } };
  /** every payload field, in table-column order */
  fields: ReadonlyArray<StreamField<z.infer<S>>>;
  ratios: readonly StreamRatio[];
  cadence: StreamCadenceDefault;
  /** the roles that may read the stream (its routes, live channel and manifest entry) */
  roles: readonly RoleName[];
  /** the socket.io channel of its live deltas */
  channel: string;
  /** api path (under /api/v1) of the current state, one row per entity (and dimensions) */
  currentPath: string;
  kpis: readonly StreamKpi[];
  /** how the wall shows it: a dedicated panel by name, or 'table' (the generic current-state table) */
  panel: { component: string; order: number };
  /** the stream's part of the simulated city; absent: the simulator does not report it */
  simulate?: SimulatorHook<z.infer<S>> | undefined;
  /** the record schema of the city pack's list of entities (`<entity.places>.json`) when the pack format has no file of its own for it */
  placeSchema?: z.ZodType | undefined;
  /** a valid payload, for documentation and tests (stream/test/fixtures/events.ts) */
  example?: z.infer<S> | undefined;
  /** alert rules judged on each stored report */
  alerts?: ReadonlyArray<StreamAlert<z.infer<S>>> | undefined;
  /** the stream's own tables in the evaluation report */
  reportTables?: readonly StreamReportTable[] | undefined;
}

/** a descriptor with its payload type kept (the registry's tuple keeps every stream's own types) */
/** a required spreadsheet column: its example cell and the headers it is recognised by */
export const requiredUpload = (example: string, ...headers: string[]) => ({ headers, example, required: true });

export function defineStream<const N extends string, S extends z.ZodType, E extends z.ZodType<{ stream: N; payload: z.infer<S> }>>(d: StreamDescriptor<N, S> & { event: E }): StreamDescriptor<N, S> & { event: E } {
  return d;
}

/** the dimensions (column names) of a stream: what identifies a series besides the entity */
export const dimensionsOf = (d: Pick<StreamDescriptor, 'fields'>): string[] => d.fields.filter((f) => f.dimension).map((f) => f.column);

/** whether a field adds up over reports */
export const isSummed = (d: Pick<StreamDescriptor, 'kind'>, f: Pick<StreamField<never>, 'summed' | 'dimension' | 'type'>): boolean =>
  f.summed ?? (d.kind === 'counter' && !f.dimension && (f.type === 'integer' || f.type === 'number'));
