import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, describe, expect, it } from 'vitest';
import { i18next } from '../src/i18n/i18n.ts';
import { StreamTable, tableColumns } from '../src/panels/stream-table.tsx';
import { streamPanels, type StreamPanelContext } from '../src/shell/stream-panels.tsx';
import { disbursementLike, fixtureManifest } from './fixtures/manifest.ts';

const rows = [
  { entity: 'du-an-2', month: '2026-11', planVnd: 12_000_000_000, disbursedVnd: 3_000_000_000, progressPct: 27.5, behindSchedule: true, disbursedShare: 0.25, observedAt: '2026-11-30T00:00:00Z' },
  { entity: 'du-an-1', name: { vi: 'Đường Ven Biển', en: 'Coastal road' }, month: '2026-11', planVnd: 5_000_000_000, disbursedVnd: 4_000_000_000, progressPct: 80, behindSchedule: false, disbursedShare: 0.8, observedAt: '2026-11-30T00:00:00Z' },
];
const names = new Map([['du-an-2', 'Kè chắn sóng']]);
const text = (html: string) => html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|');

afterAll(() => i18next.changeLanguage('vi'));

describe('the generic table panel of a stream only the manifest knows', () => {
  it('Vietnamese: the entity and field labels with units, numbers as vi-VN writes them, the flag in words, the ratio as a share', async () => {
    await i18next.changeLanguage('vi');
    const html = renderToStaticMarkup(<StreamTable stream={disbursementLike} rows={rows} names={names} />);
    const t = text(html);
    expect(t).toContain('|Dự án|Tháng|Kế hoạch vốn năm| (VND)|Đã giải ngân| (VND)|Tiến độ khối lượng| (%)|Chậm tiến độ|Tỷ lệ giải ngân|');
    // rows in name order: the row's own vi name, then the city pack's name for the other
    expect(t).toContain('|Đường Ven Biển|2026-11|5.000.000.000|4.000.000.000|80|Không|80,0%|');
    expect(t).toContain('|Kè chắn sóng|2026-11|12.000.000.000|3.000.000.000|27,5|Có|25,0%|');
    expect(t.indexOf('Đường Ven Biển')).toBeLessThan(t.indexOf('Kè chắn sóng'));
  });

  it('English: the same table in English labels and en-GB numbers', async () => {
    await i18next.changeLanguage('en');
    const t = text(renderToStaticMarkup(<StreamTable stream={disbursementLike} rows={rows} names={names} />));
    expect(t).toContain('|Project|Month|Capital plan for the year| (VND)|Disbursed| (VND)|Physical progress| (%)|Behind schedule|Disbursement rate|');
    expect(t).toContain('|Coastal road|2026-11|5,000,000,000|4,000,000,000|80|No|80.0%|');
    expect(t).toContain('|Kè chắn sóng|2026-11|12,000,000,000|3,000,000,000|27.5|Yes|25.0%|');
  });

  it('no rows yet says so instead of an empty table', async () => {
    await i18next.changeLanguage('vi');
    expect(text(renderToStaticMarkup(<StreamTable stream={disbursementLike} rows={[]} names={names} />))).toContain('Chưa có số liệu');
  });

  it('a label that already names its unit in brackets does not get it a second time', () => {
    const own = { ...disbursementLike, fields: disbursementLike.fields.map((f) => (f.name === 'planVnd' ? { ...f, label: { vi: 'Kế hoạch vốn năm (đồng)', en: 'Year’s capital plan (VND)' } } : f)) };
    const plan = tableColumns(own, 'vi', names, { yes: 'Có', no: 'Không' }).find((c) => c.key === 'planVnd')!;
    expect([plan.label, plan.unit]).toEqual(['Kế hoạch vốn năm (đồng)', undefined]);
    expect(tableColumns(own, 'vi', names, { yes: 'Có', no: 'Không' }).find((c) => c.key === 'disbursedVnd')!.unit).toBe('VND');
  });

  it('on the wall screen: the entity, the flags and the ratios, read from afar', () => {
    expect(tableColumns(disbursementLike, 'vi', names, { yes: 'Có', no: 'Không' }, true).map((c) => c.key)).toEqual(['entity', 'behindSchedule', 'disbursedShare']);
  });

  it('the columns come from the manifest alone: entity, dimensions first, values, ratios', () => {
    expect(tableColumns(disbursementLike, 'en', names, { yes: 'Y', no: 'N' }).map((c) => c.key)).toEqual(['entity', 'month', 'planVnd', 'disbursedVnd', 'progressPct', 'behindSchedule', 'disbursedShare']);
  });

  it('the wall gives a known component its dedicated panels and any other component the table, titled with the manifest’s label', () => {
    const context = (name: string, lang: 'vi' | 'en'): StreamPanelContext => ({
      stream: fixtureManifest.streams.find((s) => s.name === name)!, rows: [], lang, t: (k) => k, role: 'admin', kiosk: false, replay: false, notReplayed: false,
      names, commodities: [], fresh: undefined, onAnswer: () => {}, onPick: () => {},
    });
    expect(streamPanels(context('capacity', 'vi')).map((p) => p.id)).toEqual(['placement', 'capacity', 'forecast']);
    expect(streamPanels(context('prices', 'en')).map((p) => [p.id, p.title])).toEqual([['prices', 'Prices']]);
    expect(streamPanels(context('budget_fixture', 'vi')).map((p) => [p.id, p.title, p.stream])).toEqual([['budget_fixture', 'Giải ngân vốn đầu tư công', 'budget_fixture']]);
    expect(streamPanels(context('budget_fixture', 'en'))[0]!.title).toBe('Public-investment disbursement');
  });
});
