/**
 * UUIDs as text, read one character at a time: every id of every chunk passes here (the
 * workers' lookups, and `haidang store` keeping and answering the ids its workers stored), so a
 * regular expression, `toLowerCase` and `parseInt` of slices per id took more than half of the
 * time the store's one thread was busy at two workers (a CPU profile of bench:peers ×2,
 * docs/benchmarks.md).
 */

/** each hex digit's value by its character code; -1 for every other character */
const digit = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) digit[48 + i] = i;
for (let i = 0; i < 6; i++) {
  digit[65 + i] = 10 + i;
  digit[97 + i] = 10 + i;
}

const isDash = (i: number) => i === 8 || i === 13 || i === 18 || i === 23;

/** whether `s` is a UUID: 8-4-4-4-12 hex digits, either case */
export function isUuidText(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (isDash(i) ? c !== 45 : c >= 128 || digit[c]! < 0) return false;
  }
  return true;
}

/** whether the 36 bytes of `b` from `at` are a UUID as text (8-4-4-4-12 hex digits, either case) */
export function isUuidBytes(b: Buffer, at: number): boolean {
  if (at + 36 > b.length) return false;
  for (let i = 0; i < 36; i++) {
    const c = b[at + i]!;
    if (isDash(i) ? c !== 45 : c >= 128 || digit[c]! < 0) return false;
  }
  return true;
}

/** the number hex digits `from`…`to` of `s` spell (13 digits at most stay exact); NaN if one is not a hex digit */
export function hexValue(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? digit[c]! : -1;
    if (d < 0) return Number.NaN;
    n = n * 16 + d;
  }
  return n;
}
