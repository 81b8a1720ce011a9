import { z } from 'zod';

/**
 * The streams manifest: what the api tells a client (the dashboard) about every data stream,
 * derived from the stream descriptors, so a client holds no stream list of its own. Served
 * at GET /api/v1/manifest and validated by the dashboard with this same schema. Pure zod:
 * the dashboard imports it (`@haidang/stream/manifest`) without the server's dependencies.
 */
const text = z.object({ vi: z.string().min(1), en: z.string().min(1) });

export const manifestField = z.object({
  /** the payload field (and column) name */
  name: z.string().min(1),
  type: z.enum(['integer', 'number', 'boolean', 'string', 'enum']),
  label: text,
  /** unit shown after a value: 'VND', 'L', '%', 'beds', … */
  unit: z.string().optional(),
  /** counters: the field adds up over reports (doses, dossiers); gauges: false */
  summed: z.boolean(),
  /** the field is a dimension of the current state (capacity's tier, prices' commodity) */
  dimension: z.boolean(),
  /** the column that stores it (snake_case; rollups and exports name it so) */
  column: z.string().min(1).optional(),
});

/** a share the wall shows, computed from two numeric fields of the current state */
export const manifestRatio = z.object({ name: z.string().min(1), numerator: z.string(), denominator: z.string(), label: text });

export const manifestStream = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: text,
  /** gauge: a report replaces the entity's current value; counter: reports add up */
  kind: z.enum(['gauge', 'counter']),
  entity: z.object({ kind: z.string().min(1), label: text }),
  fields: z.array(manifestField).min(1),
  ratios: z.array(manifestRatio),
  cadence: z.object({ minutes: z.number().positive(), reportingHours: z.object({ from: z.string(), to: z.string() }).nullable() }),
  /** the socket.io channel a client subscribes to for this stream's live deltas */
  channel: z.string().min(1),
  /** api path (under /api/v1) of the current state, one row per entity (and dimension) */
  currentPath: z.string().startsWith('/'),
  /** the roles allowed to read the stream */
  roles: z.array(z.string().min(1)).min(1),
  /** ids of the KPIs computed from the stream (GET /kpis) */
  kpis: z.array(z.string()),
  /** how the wall shows it: a dedicated panel by name, or 'table' (the generic current-state table) */
  panel: z.object({ component: z.string().min(1), order: z.number().int() }),
});

export const manifest = z.object({ streams: z.array(manifestStream) });
export type Manifest = z.infer<typeof manifest>;
export type ManifestStream = z.infer<typeof manifestStream>;
export type ManifestField = z.infer<typeof manifestField>;
