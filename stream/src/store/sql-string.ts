/** a ClickHouse SQL string literal of any text (backslash and quote escaped) */
export const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
