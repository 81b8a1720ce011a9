import { expect, it } from 'vitest';
import { parseMonthCell } from '../../src/upload/cell-parse.ts';

it('reads a month as offices write it, and as Excel stores a typed 2022-08 (a date), into YYYY-MM', () => {
  for (const [cell, month] of [
    ['08/2022', '2022-08'],
    ['8/2022', '2022-08'],
    ['Tháng 8/2022', '2022-08'],
    ['tháng 12 / 2022', '2022-12'],
    ['8.2022', '2022-08'],
    ['2022-08', '2022-08'],
    ['2022-8', '2022-08'],
    [new Date(Date.UTC(2022, 7, 1)), '2022-08'],
  ] as const)
    expect(parseMonthCell(cell), String(cell)).toEqual({ ok: true, value: month });
  expect(parseMonthCell('')).toEqual({ ok: true, value: undefined });
  expect(parseMonthCell('13/2022')).toEqual({ ok: false, reason: 'no such month' });
  expect(parseMonthCell('tháng tám')).toEqual({ ok: false, reason: 'not a month (write 08/2022)' });
  expect(parseMonthCell('15/08/2022')).toEqual({ ok: false, reason: 'not a month (write 08/2022)' });
});
