/**
 * Pieces of KPI SQL shared by the streams' descriptors. The placeholders (`{{bucket(col)}}`,
 * `{{last(stream: col, …)}}`) and parameters (`{from:…}`, `{to:…}`, `{tz:String}`, …) are
 * filled by the api's kpi engine (api/src/kpi/definitions.ts says what each means).
 */

/** the series' time range on `col`, as query parameters (the engine's subqueries use it too) */
export const kpiRange = (col: string) => `${col} >= {from:DateTime64(3, 'UTC')} AND ${col} < {to:DateTime64(3, 'UTC')}`;
