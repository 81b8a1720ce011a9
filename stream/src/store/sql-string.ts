/** a ClickHouse SQL string literal of any text (backslash and quote escaped) */
export const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** any text as the value of a `{name:String}` query parameter, which ClickHouse unescapes as TabSeparated does */
export const paramString = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\0/g, '\\0');
