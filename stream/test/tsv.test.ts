import { describe, expect, it } from 'vitest';
import { tsvField, tsvLine, TsvBody } from '../src/store/tsv.ts';

describe('TabSeparated encoding', () => {
  it('escapes what would break a row and writes NULL as \\N', () => {
    expect(tsvLine(['a\tb', 'c\nd', 'e\\f', null, 7, true])).toBe('a\\tb\tc\\nd\te\\\\f\t\\N\t7\ttrue');
    expect(tsvField(undefined)).toBe('\\N');
  });

  it('a batch body keeps every line whole, Vietnamese included, when it outgrows its estimate', () => {
    const body = new TsvBody(4);
    const lines = Array.from({ length: 500 }, (_, i) => `Phường Thắng Tam ${i}\tgiường oxy đầy`);
    for (const l of lines) body.add(l);
    expect(body.bytes().toString('utf8')).toBe(lines.map((l) => `${l}\n`).join(''));
    expect(body.length).toBe(Buffer.byteLength(lines.map((l) => `${l}\n`).join('')));
  });
});
