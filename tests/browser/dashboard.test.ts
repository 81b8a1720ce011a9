import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPassword, createUser, push, screenshots, signIn, sourceKey, startWall, userPassword, type Wall } from './wall-harness.ts';

let wall: Wall;
beforeAll(async () => {
  wall = await startWall('wall', { rate: 300 });
  for (const role of ['operator', 'health', 'evaluator'] as const) await createUser(wall, role);
}, 240_000);
afterAll(async () => wall?.stop());

const visible = async (page: import('playwright-core').Page, ids: string[]) => Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await page.getByTestId(`panel-${id}`).isVisible()] as const)));
const all = ['map', 'alerts', 'capacity', 'vaccination', 'prices', 'dossiers', 'kpi', 'users'];

describe('each role sees its panels', () => {
  it.each([
    ['admin', adminPassword, all],
    // the streams a role sees are the manifest's `roles` (the api's access): the operator reads vaccination too
    ['operator-1', userPassword, ['map', 'alerts', 'capacity', 'vaccination', 'prices', 'dossiers']],
    ['health-1', userPassword, ['map', 'capacity', 'vaccination', 'alerts']],
    ['evaluator-1', userPassword, ['kpi']],
  ])('%s', async (user, password, shown) => {
    const page = await signIn(wall, user, password);
    await page.getByTestId(`panel-${shown[0]}`).waitFor();
    await page.waitForTimeout(500);
    const v = await visible(page, all);
    expect(v).toEqual(Object.fromEntries(all.map((id) => [id, shown.includes(id)])));
    await page.context().close();
  }, 420_000);
});

describe('the operator’s wall', () => {
  it('draws the city from the pack, says the wards are schematic, and updates the map and panels live without re-mounting', async () => {
    // the desk layout (the kiosk, which shows capacity by tier without the table, is in wall-screen.test.ts)
    const page = await signIn(wall, 'operator-1', userPassword, { width: 1920, height: 1080 });
    const map = page.getByTestId('map');
    await map.locator('canvas').waitFor();
    await expect.poll(() => page.getByTestId('panel-capacity').locator('tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(5);
    await expect.poll(() => page.getByTestId('schematic-note').innerText(), { timeout: 30_000 }).toContain('SƠ ĐỒ');
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
    const canvas = await map.locator('canvas').elementHandle();
    const version0 = Number(await map.getAttribute('data-facilities-version'));
    // the simulator keeps reporting: the map's facility colours follow
    await expect.poll(async () => Number(await map.getAttribute('data-facilities-version')), { timeout: 90_000 }).toBeGreaterThan(version0);
    // the simulator first publishes a day of history (received in simulated time): once live
    // reports make capacity current, the wall says so
    await expect.poll(() => page.getByTestId('fresh-capacity').getAttribute('data-stale'), { timeout: 180_000 }).toBe('false');
    // a hospital reports its ICU-centre oxygen beds nearly full: the table shows it at once
    const key = await sourceKey(wall, 'capacity', ['bv-vung-tau-hscc']);
    // newer than the simulator's last report of it (its slots may run ahead of the wall clock), or the wall rightly keeps that one
    const current = (await (await wall.adminFetch('/api/v1/capacity/facilities?tier=3')).json()) as { facilities: Array<{ facility: string; observedAt: string }> };
    const last = Date.parse(current.facilities.find((f) => f.facility === 'bv-vung-tau-hscc')?.observedAt ?? '1970-01-01T00:00:00Z');
    await push(wall, key, 'capacity', [
      {
        entity: 'bv-vung-tau-hscc',
        observedAt: new Date(Math.max(Date.now(), last + 1000)).toISOString(),
        payload: { tier: 3, bedsTotal: 30, bedsOccupied: 29, oxygenBedsTotal: 30, oxygenBedsOccupied: 29, patientsBySupport: { mask: 9, hfnc: 8, niv: 6, invasive: 5, ecmo: 1 }, icuBedsTotal: 30, icuBedsOccupied: 29, ventilatorsTotal: 20, ventilatorsInUse: 12, oxygenStockLitres: 900_000 },
      },
    ]);
    const row = page.getByTestId('panel-capacity').locator('tr[data-facility="bv-vung-tau-hscc"]');
    await expect.poll(() => row.innerText(), { timeout: 60_000 }).toMatch(/97\s?%/);
    expect(await canvas!.evaluate((c) => c.isConnected)).toBe(true); // the same canvas: the map was not re-created
    await page.waitForTimeout(2000);
    await page.screenshot({ path: join(screenshots, 'wall-operator-1920x1080.png') });
    await page.context().close();
  }, 420_000);

  it('shows a lost connection and recovers by itself', async () => {
    const page = await signIn(wall, 'operator-1', userPassword);
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
    await page.context().setOffline(true);
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('disconnected');
    await expect.poll(() => page.getByTestId('fresh-capacity').getAttribute('data-stale'), { timeout: 30_000 }).toBe('true');
    await page.context().setOffline(false);
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('live');
    await page.context().close();
  }, 420_000);

  it('an alert raised by a price jump appears live and is acknowledged with a comment', async () => {
    const page = await signIn(wall, 'operator-1', userPassword);
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
    // after the simulator's day of history is in (its reports would otherwise land between ours)
    await expect.poll(() => page.getByTestId('fresh-capacity').getAttribute('data-stale'), { timeout: 180_000 }).toBe('false');
    const key = await sourceKey(wall, 'prices', ['cho-vung-tau']);
    // the market reports rice at five times its current price: the "≥ 10 % above the 7-day
    // median" rule (the simulator's day of history gives the median) fires at once, newest on the list
    const prices = (await (await wall.adminFetch('/api/v1/prices/markets?market=cho-vung-tau&commodity=rice')).json()) as { prices: Array<{ priceVnd: number }> };
    const usual = prices.prices[0]?.priceVnd ?? 20_000;
    await push(wall, key, 'prices', [{ entity: 'cho-vung-tau', observedAt: new Date().toISOString(), payload: { commodity: 'rice', unit: 'kg', priceVnd: usual * 5 } }]);
    // the episode the jump opened, from the api; then the same episode on the wall
    let episodeId: string | undefined;
    await expect
      .poll(async () => {
        const r = (await (await wall.adminFetch('/api/v1/alerts?acknowledged=false')).json()) as { alerts: Array<{ episodeId: string; ruleId: string; entity: string; series: string }> };
        episodeId = r.alerts.find((e) => e.ruleId === 'price-10-above-median' && e.entity === 'cho-vung-tau' && e.series === 'rice')?.episodeId;
        return episodeId;
      }, { timeout: 60_000 })
      .toBeDefined();
    const alert = page.locator(`[data-episode="${episodeId}"]`);
    await alert.waitFor({ timeout: 60_000 });
    await expect.poll(() => alert.innerText()).toContain('trung vị 7 ngày');
    await alert.getByRole('button', { name: 'Xác nhận' }).click();
    await alert.getByLabel('Ghi chú (đã làm gì)').fill('Đã gọi ban quản lý chợ');
    await alert.getByRole('button', { name: 'Gửi xác nhận' }).click();
    await expect.poll(() => alert.getByTestId('acked').innerText(), { timeout: 30_000 }).toContain('Đã gọi ban quản lý chợ');
    // the api kept it
    const stored = (await (await wall.adminFetch('/api/v1/alerts?acknowledged=true')).json()) as { alerts: Array<{ ackComment: string; acknowledgedBy: string }> };
    expect(stored.alerts.some((a) => a.ackComment === 'Đã gọi ban quản lý chợ' && a.acknowledgedBy === 'operator-1')).toBe(true);
    await page.context().close();
  }, 420_000);

  it('switches to English and formats numbers the English way', async () => {
    const page = await signIn(wall, 'operator-1', userPassword);
    await expect.poll(() => page.getByTestId('panel-capacity').innerText(), { timeout: 30_000 }).toContain('Năng lực điều trị');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('panel-capacity').innerText(), { timeout: 30_000 }).toContain('Treatment capacity');
    await expect.poll(() => page.getByTestId('schematic-note').innerText(), { timeout: 30_000 }).toContain('SCHEMATIC');
    await page.screenshot({ path: join(screenshots, 'wall-operator-en-1366x768.png') });
    await page.getByTestId('lang-vi').click();
    await expect.poll(() => page.getByTestId('panel-capacity').innerText(), { timeout: 30_000 }).toContain('Năng lực điều trị');
    await page.context().close();
  }, 420_000);
});

describe('a stream the dashboard knows only from the manifest', () => {
  // shaped like the plan's fifth stream; the api's manifest (when it serves one) gets this stream
  // added, and its current-state route is answered here: the wall has no code of its own for it
  const stream = {
    name: 'budget_fixture', label: { vi: 'Giải ngân vốn đầu tư công', en: 'Public-investment disbursement' }, kind: 'counter',
    entity: { kind: 'project', label: { vi: 'Dự án', en: 'Project' } },
    fields: [
      { name: 'planVnd', type: 'integer', label: { vi: 'Kế hoạch vốn năm', en: 'Capital plan for the year' }, unit: 'VND', summed: false, dimension: false },
      { name: 'disbursedVnd', type: 'integer', label: { vi: 'Đã giải ngân', en: 'Disbursed' }, unit: 'VND', summed: true, dimension: false },
      { name: 'behindSchedule', type: 'boolean', label: { vi: 'Chậm tiến độ', en: 'Behind schedule' }, summed: false, dimension: false },
    ],
    ratios: [{ name: 'disbursedShare', numerator: 'disbursedVnd', denominator: 'planVnd', label: { vi: 'Tỷ lệ giải ngân', en: 'Disbursement rate' } }],
    cadence: { minutes: 43_200, reportingHours: null }, channel: 'budget_fixture', currentPath: '/budget-fixture/current',
    roles: ['admin', 'operator'], kpis: [], panel: { component: 'table', order: 99 },
  };
  it.each([['vi'], ['en']] as const)('is shown in a table panel with its labels, units and values (%s), and takes live deltas', async (lang) => {
    const page = await signIn(wall, 'operator-1', userPassword);
    await page.route('**/api/v1/manifest', async (route) => {
      const r = await route.fetch();
      const served = r.status() === 200 ? ((await r.json()) as { streams: unknown[] }) : { streams: [] };
      await route.fulfill({ json: { streams: [...served.streams, stream] } });
    });
    await page.route('**/api/v1/budget-fixture/current', (route) =>
      route.fulfill({ json: { projects: [{ entity: 'du-an-ke-bien', name: { vi: 'Kè biển Bãi Sau', en: 'Bãi Sau sea wall' }, planVnd: 12_000_000_000, disbursedVnd: 3_000_000_000, behindSchedule: true, disbursedShare: 0.25, observedAt: '2026-11-30T00:00:00Z', receivedAt: '2026-11-30T00:00:00Z' }] } }),
    );
    if (lang === 'en') await page.evaluate(() => localStorage.setItem('haidang.lang', 'en'));
    await page.reload();
    const panel = page.getByTestId('panel-budget_fixture');
    await panel.locator('tbody tr').first().waitFor({ timeout: 60_000 });
    const vi = lang === 'vi';
    expect(await panel.locator('h2').innerText()).toBe(vi ? 'Giải ngân vốn đầu tư công' : 'Public-investment disbursement');
    expect(await panel.locator('thead th').allInnerTexts()).toEqual(vi ? ['Dự án', 'Kế hoạch vốn năm (VND)', 'Đã giải ngân (VND)', 'Chậm tiến độ', 'Tỷ lệ giải ngân'] : ['Project', 'Capital plan for the year (VND)', 'Disbursed (VND)', 'Behind schedule', 'Disbursement rate']);
    const cells = () => panel.locator('tbody tr').first().locator('td').allInnerTexts();
    expect(await cells()).toEqual(vi ? ['Kè biển Bãi Sau', '12.000.000.000', '3.000.000.000', 'Có', '25,0%'] : ['Bãi Sau sea wall', '12,000,000,000', '3,000,000,000', 'Yes', '25.0%']);
    // a delta on the stream's channel (through the socket's reducer): a counter's amount adds up, the share follows
    await page.evaluate('window.__name = (f) => f');
    await page.evaluate(() => (window as unknown as { __haidangInject: (f: unknown) => void }).__haidangInject({ delta: { budget_fixture: [{ entity: 'du-an-ke-bien', disbursedVnd: 3_000_000_000, behindSchedule: false, observedAt: '2026-12-31T00:00:00Z' }] } }));
    await expect.poll(cells, { timeout: 10_000 }).toEqual(vi ? ['Kè biển Bãi Sau', '12.000.000.000', '6.000.000.000', 'Không', '50,0%'] : ['Bãi Sau sea wall', '12,000,000,000', '6,000,000,000', 'No', '50.0%']);
    // the plan's fifth stream, from the real manifest: a table panel titled in the viewer's language
    expect(await page.getByTestId('panel-disbursement').locator('h2').innerText()).toBe(vi ? 'Giải ngân đầu tư công' : 'Public-investment disbursement');
    await page.screenshot({ path: join(screenshots, `wall-manifest-only-stream-${lang}.png`) });
    await page.context().close();
  }, 420_000);
});

describe('the evaluator', () => {
  it('reads KPIs with their targets and exports a CSV that reads back', async () => {
    const page = await signIn(wall, 'evaluator-1', userPassword, { acceptDownloads: true });
    await page.getByTestId('kpi-dossiers-online-share').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('kpi-period').locator('option').count(), { timeout: 30_000 }).toBe(5); // 7 days, 30 days and the plan's 3 report periods
    await page.getByTestId('kpi-period').selectOption('2022-08-15');
    await expect.poll(() => page.getByTestId('panel-kpi').innerText(), { timeout: 30_000 }).toContain('30/01/2022');
    await page.getByTestId('kpi-period').selectOption('last7d');
    await expect.poll(() => page.locator('.kpi-card .chart canvas').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshots, 'kpi-evaluator-1366x768.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-capacity-csv').click()]);
    const file = await download.path();
    // a Vietnamese user gets the vi-VN Excel dialect by default: `;`, Vietnamese headers, dd/mm/yyyy HH:mm
    const rows = parse(await readFile(file), { columns: true, bom: true, delimiter: ';' }) as Array<Record<string, string>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['Mã đơn vị báo cáo', 'Thời điểm số liệu']));
    expect(rows[0]!['Thời điểm số liệu']).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await page.context().close();
  }, 420_000);
});

describe('the admin', () => {
  it('sees every panel at 1920×1080 and at 1366×768', async () => {
    for (const [w, h] of [[1920, 1080], [1366, 768]] as const) {
      const page = await signIn(wall, 'admin', adminPassword, { width: w, height: h });
      await page.getByTestId('map').locator('canvas').waitFor();
      await expect.poll(() => page.getByTestId('panel-prices').locator('tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(2500);
      await page.screenshot({ path: join(screenshots, `wall-admin-${w}x${h}.png`) });
      await page.context().close();
    }
  }, 420_000);

  it('replays the past with the time slider and returns to live', async () => {
    const page = await signIn(wall, 'admin', adminPassword);
    await page.getByTestId('map').locator('canvas').waitFor();
    const slider = page.getByTestId('time-slider').locator('input[type=range]');
    const replayRequests: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/v1\/(capacity|vaccination|prices|dossiers)\//.test(r.url())) replayRequests.push(r.url());
    });
    await slider.focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft'); // two hours back, by keyboard
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 30_000 }).toBe('replay');
    await expect.poll(() => page.getByTestId('fresh-capacity').innerText(), { timeout: 30_000 }).toContain('Xem lại');
    await expect.poll(() => page.getByTestId('panel-capacity').locator('tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    // a load is one request a stream for one instant: capacity, doses, prices, dossiers — not one
    // request per facility and ward. Eight key presses make one load once the keys rest (600 ms);
    // a machine slow enough to pause that long between two presses makes one more, never one a press
    const loads = () => replayRequests.filter((u) => !u.includes('/capacity/series?facility=') && !u.includes('/capacity/forecast'));
    await expect.poll(() => loads().length, { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
    await page.waitForTimeout(2000);
    const byInstant = new Map<string, number>();
    for (const u of loads()) {
      const q = new URL(u).searchParams;
      const instant = q.get('at') ?? q.get('to') ?? u;
      byInstant.set(instant, (byInstant.get(instant) ?? 0) + 1);
    }
    expect([...byInstant.values()]).toEqual([...byInstant.values()].map(() => 4));
    expect(byInstant.size).toBeLessThan(8);
    expect(replayRequests.some((u) => u.includes('/capacity/facilities/at?at='))).toBe(true);
    // the forecast, computed for now only, says it is not replayed
    expect(await page.getByTestId('forecast-replay').isVisible()).toBe(true);
    await page.getByTestId('back-to-live').click();
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
    await page.context().close();
  }, 420_000);
});
