import { describe, expect, it } from 'vitest';
import type { GatewayRequest } from '../src/store/gateway/request.ts';
import { readStatement, tokens } from '../src/store/gateway/statement.ts';
import { workOf } from '../src/store/gateway/work.ts';

/** the quoted-text rule as the lexer first had it, one character at a time: the reference */
function closingByStep(s: string, from: number, q: number): number {
  let j = from;
  while (j < s.length) {
    const d = s.charCodeAt(j);
    if (d === 92) j += 2;
    else if (d === q) {
      if (s.charCodeAt(j + 1) === q) j += 2;
      else break;
    } else j++;
  }
  return Math.min(j + 1, s.length);
}

describe("the gateway's lexer", () => {
  it('ends quoted text where ClickHouse does: backslash escapes, doubled quotes, unterminated text', () => {
    const quoted = "SELECT 'a\\'b', 'c''d', \"e\\\"f\", `g``h`";
    expect(tokens(quoted).filter((t) => t.type !== 'punct').map((t) => t.text)).toEqual(['SELECT', String.raw`a\'b`, `c''d`, String.raw`e\"f`, 'g``h']);
    expect(tokens(String.raw`SELECT 'a\\' , 'b'`).map((t) => t.text)).toEqual(['SELECT', String.raw`a\\`, ',', 'b']);
    expect(tokens(`SELECT 'never closed`).at(-1)).toMatchObject({ type: 'string', text: 'never close' });
    const trailing = "SELECT 'ends on a backslash\\";
    expect(tokens(trailing).at(-1)?.end).toBe(trailing.length);
  });

  it('agrees with the character-by-character rule on thousands of random texts', () => {
    const alphabet = ["'", "'", '\\', '\\', '"', 'a', ' ', 'x', ';', '`'];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 5000; n++) {
      let s = '';
      const len = Math.floor(random() * 24);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(random() * alphabet.length)];
      // each token that opens with a quote must end where the reference says
      for (const t of tokens(s)) {
        if (t.type === 'string' || t.type === 'quoted') expect(t.end, JSON.stringify(s)).toBe(closingByStep(s, t.start + 1, s.charCodeAt(t.start)));
      }
    }
  });

  it("finds the end of a lookup's long literal and the statement's one end", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`);
    const sql = `SELECT id FROM t WHERE id IN (SELECT id FROM format(TabSeparated, 'id UUID', '${ids.join('\\n')}'))`;
    const st = readStatement(`${sql};`);
    expect(st).toMatchObject({ kind: 'SELECT', end: sql.length, multi: false });
    expect(readStatement(`${sql}; SELECT 1`).multi).toBe(true);
  });

  it("takes an INSERT's data from where ClickHouse does when its SQL reaches past the first 64 KiB read", () => {
    const request = { urlQuery: null, defaultFormat: 'TabSeparated' } as unknown as GatewayRequest;
    const data = 'a,b\n1,2\n';
    // the format's name cut by the 64 KiB window (after 1, 3 or 7 of its letters), and a column list longer than the window
    const cutAt = (k: number) => {
      const head = 'INSERT INTO t SETTINGS max_threads = 1 /* ';
      const tail = ' */ FORMAT ';
      return `${head}${'x'.repeat(65_536 - k - head.length - tail.length)}${tail}CSVWithNames`;
    };
    for (const sql of [cutAt(1), cutAt(3), cutAt(7), `INSERT INTO t (${Array.from({ length: 9_000 }, (_, i) => `c${i}`).join(', ')}) FORMAT CSVWithNames`]) {
      const work = workOf(request, Buffer.from(`${sql}\n${data}`));
      expect('insert' in work && { format: work.insert.format, data: work.insert.data.toString() }).toEqual({ format: 'CSVWithNames', data });
    }
  });
});
