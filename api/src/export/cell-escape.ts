/**
 * Spreadsheet formula injection (OWASP ASVS 5 §1.2.10): a text cell beginning with = + - @,
 * tab, carriage return or NUL may be run as a formula when the file is opened, and RFC 4180
 * quoting does not stop it. Such text gets a leading apostrophe. Numbers are left alone
 * (a negative deviation stays a number), so only values that are text are escaped.
 */
const dangerous = /^[=+\-@\t\r\0]/;

export function escapeCell(v: unknown): unknown {
  return typeof v === 'string' && dangerous.test(v) ? `'${v}` : v;
}
