import { describe, expect, it } from 'vitest';
import { v7 as uuidv7, v4 as uuidv4 } from 'uuid';
import { v7Millis } from '../src/store/stored-ids.ts';
import { hexValue, isUuidBytes, isUuidText } from '../src/store/uuid-text.ts';

/** the rule every id check used before: ClickHouse's text of a UUID, any case */
const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('UUIDs as text', () => {
  it('accepts exactly what the pattern accepts, in either case, as text and as bytes', () => {
    const good = [uuidv7(), uuidv4(), uuidv7().toUpperCase(), '00000000-0000-0000-0000-000000000000'];
    const bad = ['', 'x', `${uuidv7()}0`, uuidv7().slice(1), uuidv7().replace(/-/g, ''), uuidv7().replace('-', '_'), `g${uuidv7().slice(1)}`, `${uuidv7().slice(0, 35)}ğ`, `${uuidv7().slice(0, 35)}\u0130`, "'); DROP TABLE x; --0000000000000000000"];
    for (const s of [...good, ...bad]) {
      expect(isUuidText(s), s).toBe(pattern.test(s.toLowerCase()));
      // the first field of a TabSeparated line as it arrives (UTF-8), as the store reads it
      const line = Buffer.from(`${s}\tmore`);
      expect(isUuidBytes(line, 0) && line[36] === 9, s).toBe(pattern.test(s.toLowerCase()));
    }
  });

  it("reads a UUIDv7's time and hex digits as parseInt does, NaN for what is not hex", () => {
    for (let i = 0; i < 200; i++) {
      const id = uuidv7();
      expect(v7Millis(id)).toBe(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
      expect(v7Millis(id.toUpperCase())).toBe(v7Millis(id));
      expect(hexValue(id, 24, 36)).toBe(Number.parseInt(id.slice(24), 16));
    }
    expect(v7Millis(uuidv4())).toBeNull();
    expect(hexValue('12z4', 0, 4)).toBeNaN();
    expect(hexValue('ffffffffffff', 0, 12)).toBe(2 ** 48 - 1);
  });
});
