import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../setup/processes.ts';
import { createUser, signIn, startWall, userPassword, type Wall } from './wall-harness.ts';

/**
 * The wall screen as its users meet it, with the simulator running: the whole city on one
 * kiosk screen, facilities that share a point each reachable, and the health centre's "where
 * can this oxygen patient go?". Screenshots for the README go to docs/screenshots/.
 */
const docs = join(repoRoot, 'docs', 'screenshots');
let wall: Wall;
beforeAll(async () => {
  wall = await startWall('wall-screen', { rate: 200 });
  await createUser(wall, 'operator');
  await createUser(wall, 'health');
  await createUser(wall, 'evaluator');
}, 240_000);
afterAll(async () => wall?.stop());

async function inLanguage(page: Page, lang: 'vi' | 'en') {
  if (lang === 'vi') return;
  await page.evaluate(() => localStorage.setItem('haidang.lang', 'en'));
  await page.reload();
  await page.locator('.wall').waitFor({ timeout: 60_000 });
}
const capacityLoaded = (page: Page) => expect.poll(() => page.getByTestId('map-symbols').locator('li[data-facility]').count(), { timeout: 90_000 }).toBe(20);

describe.each([['vi'], ['en']] as const)('kiosk, %s', (lang) => {
  it('shows every stream at once at 1920×1080 without scrolling, with the clock, the city and large numbers', async () => {
    const t0 = Date.now();
    const page = await signIn(wall, 'operator-1', userPassword, { width: 1920, height: 1080, kiosk: true });
    await inLanguage(page, lang);
    await page.getByTestId('map').locator('canvas').waitFor({ timeout: 60_000 });
    await expect.poll(async () => Number((await page.getByTestId('headline-tier-2').locator('.headline-value').innerText()).replace(/\D/g, '')), { timeout: 90_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('panel-prices').locator('tbody tr').count(), { timeout: 90_000 }).toBeGreaterThan(0);
    console.log(`[figure] kiosk (${lang}) filled ${Date.now() - t0} ms after the page was opened`);
    for (const id of ['map', 'alerts', 'capacity', 'forecast', 'vaccination', 'prices', 'dossiers']) {
      const b = (await page.getByTestId(`panel-${id}`).boundingBox())!;
      expect(b, id).not.toBeNull();
      expect(b.x >= 0 && b.y >= 0 && b.x + b.width <= 1920 && b.y + b.height <= 1080, `${id} inside the screen: ${JSON.stringify(b)}`).toBe(true);
      expect(b.height, `${id} tall enough to read`).toBeGreaterThan(150);
    }
    expect(await page.evaluate(() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth])).toEqual([1080, 1920]);
    // the headline numbers, large: free oxygen beds per tier, coverage, online share against 50%, prices, alerts
    expect(await page.getByTestId('headlines').locator('.headline').count()).toBe(6);
    const size = await page.getByTestId('headline-tier-2').locator('.headline-value').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(size).toBeGreaterThanOrEqual(40);
    expect(await page.getByTestId('headline-dossiers').innerText()).toContain(lang === 'vi' ? 'mục tiêu 50' : 'target 50');
    expect(await page.getByTestId('headline-tier-2').innerText()).toContain(lang === 'vi' ? 'Giường oxy trống tầng 2' : 'Free tier-2 oxygen beds');
    const clock = await page.getByTestId('clock').innerText();
    expect(clock).toMatch(/\d{2}:\d{2}:\d{2}/);
    expect(clock).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    if (lang === 'vi') expect(clock).toMatch(/Thứ|Chủ Nhật/);
    expect(await page.locator('header.top h1').innerText()).toContain(lang === 'vi' ? 'Thành phố Vũng Tàu' : 'Vũng Tàu city');
    // charts speak the wall's language: no 12-hour clock, no English series in Vietnamese
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/\b\d{1,2}(am|pm)\b/i);
    if (lang === 'vi') expect(text).not.toMatch(/\btier-\d\b/);
    // the simulator first publishes a day of history: once live reports make capacity current, the wall says so
    await expect.poll(() => page.getByTestId('fresh-capacity').getAttribute('data-stale'), { timeout: 180_000 }).toBe('false');
    expect(await page.getByTestId('panel-capacity').getAttribute('data-stale')).toBe('false');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(docs, `wall-kiosk-1920x1080-${lang}.png`) });
    await page.context().close();
  }, 300_000);
});

describe('the map', () => {
  it.each([
    ['vi', 1366, 768],
    ['en', 1920, 1080],
  ] as const)('facilities that share a point are spread, each hovered and clicked to its card (%s, %i×%i)', async (lang, width, height) => {
    const page = await signIn(wall, 'health-1', userPassword, { width, height });
    await inLanguage(page, lang);
    await page.getByTestId('map').locator('canvas').waitFor({ timeout: 60_000 });
    await capacityLoaded(page);
    await page.waitForTimeout(1000);
    const box = (await page.getByTestId('map').boundingBox())!;
    // the ICU centre, the COVID hospital and the ward's station share one coordinate in the pack
    const stacked = ['bv-vung-tau-hscc', 'bv-vung-tau-covid', 'tram-y-te-26539'];
    const at = async (sel: string) => {
      const li = page.getByTestId('map-symbols').locator(sel);
      return [Number(await li.getAttribute('data-x')), Number(await li.getAttribute('data-y'))] as const;
    };
    const points = await Promise.all(stacked.map((id) => at(`li[data-facility="${id}"]`)));
    for (let i = 0; i < points.length; i++)
      for (let j = i + 1; j < points.length; j++) expect(Math.hypot(points[i]![0] - points[j]![0], points[i]![1] - points[j]![1]), `${stacked[i]} vs ${stacked[j]}`).toBeGreaterThanOrEqual(14);
    // a market and the station of its ward are apart too
    const [m, s] = [await at('li[data-market="cho-rach-dua"]'), await at('li[data-facility="tram-y-te-26535"]')];
    expect(Math.hypot(m[0] - s[0], m[1] - s[1])).toBeGreaterThanOrEqual(14);
    // the market's diamond is drawn and answers the pointer
    await page.mouse.move(box.x + m[0], box.y + m[1]);
    await expect.poll(() => page.locator('.deck-tooltip').innerText(), { timeout: 10_000 }).toContain(await page.getByTestId('map-symbols').locator('li[data-market="cho-rach-dua"]').innerText());
    for (const [k, id] of stacked.entries()) {
      const [x, y] = points[k]!;
      await page.mouse.move(box.x + x, box.y + y);
      await expect.poll(() => page.locator('.deck-tooltip').innerText(), { timeout: 10_000 }).toContain(await page.getByTestId('map-symbols').locator(`li[data-facility="${id}"]`).innerText());
      // a click that opened no card (seen once in a full run under load: none after 30 s)
      // is clicked again, as a person would; a map that never opens the card still fails
      let clicks = 0;
      await expect
        .poll(
          async () => {
            const card = page.getByTestId('facility-card');
            if (!(await card.isVisible()) && clicks < 3) {
              clicks++;
              await page.mouse.click(box.x + x, box.y + y);
            }
            return card.getAttribute('data-facility', { timeout: 3_000 }).catch(() => null);
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toBe(id);
      if (k < stacked.length - 1) await page.getByTestId('facility-card').locator('button.close').click();
    }
    const card = page.getByTestId('facility-card');
    const cardText = await card.innerText();
    for (const word of lang === 'vi' ? ['Giường oxy trống', 'Giường ICU trống', 'Máy thở trống', 'Oxy tồn kho', 'Báo cáo cuối', '72 giờ'] : ['Free oxygen beds', 'Free ICU beds', 'Free ventilators', 'Oxygen on site', 'Last report', '72 h']) expect(cardText).toContain(word);
    await expect.poll(() => card.locator('.chart canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    if (lang === 'vi') expect(await card.locator('.u-legend').innerText()).toContain('Thời điểm');
    // the legend is below the map, never over the city
    const legend = (await page.getByTestId('legend').boundingBox())!;
    expect(legend.y).toBeGreaterThanOrEqual(box.y + box.height - 1);
    await page.screenshot({ path: join(docs, `facility-card-${width}x${height}-${lang}.png`) });
    await page.context().close();
  }, 300_000);
});

describe('where can this oxygen patient go?', () => {
  it.each([
    ['vi', 1366, 768],
    ['en', 1920, 1080],
  ] as const)('the health centre picks the support and sees the facilities at the right tier with free oxygen beds, ranked, on the map and in the list (%s, %i×%i)', async (lang, width, height) => {
    const page = await signIn(wall, 'health-1', userPassword, { width, height });
    await inLanguage(page, lang);
    await capacityLoaded(page);
    const list = page.getByTestId('placement-list').locator('li');
    const answer = async () =>
      Promise.all((await list.all()).map(async (li) => ({ id: (await li.getAttribute('data-facility'))!, tier: Number(await li.getAttribute('data-tier')), free: Number(await li.getAttribute('data-free')), stale: (await li.getAttribute('data-stale')) === 'true' })));
    await page.getByTestId('support-invasive').click();
    await expect.poll(async () => (await answer()).length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await answer()).every((p) => p.tier === 3 && p.free > 0)).toBe(true);

    await page.getByTestId('support-mask').click();
    await expect.poll(async () => (await answer()).some((p) => p.tier === 2), { timeout: 30_000 }).toBe(true);
    const ranked = await answer();
    expect(ranked.every((p) => (p.tier === 2 || p.tier === 3) && p.free > 0)).toBe(true);
    // fresh reports first, then the lower tier, then the most free beds
    for (let i = 1; i < ranked.length; i++) {
      const a = ranked[i - 1]!, b = ranked[i]!;
      const order = Number(a.stale) - Number(b.stale) || a.tier - b.tier || b.free - a.free;
      expect(order, `${a.id} before ${b.id}`).toBeLessThanOrEqual(0);
    }
    // the same answer is ringed on the map; no commune station is
    const highlighted = await page.getByTestId('map-symbols').locator('li[data-highlight="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-facility')));
    expect(new Set(highlighted)).toEqual(new Set(ranked.map((p) => p.id)));
    expect(highlighted.some((id) => id?.startsWith('tram-y-te'))).toBe(false);
    expect(await page.getByTestId('placement-list').innerText()).toContain(lang === 'vi' ? 'giường oxy trống' : 'free oxygen beds');
    await page.getByTestId('panel-placement').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(docs, `placement-${width}x${height}-${lang}.png`) });
    // a row opens the facility's card
    await list.first().locator('button').click();
    await expect.poll(() => page.getByTestId('facility-card').getAttribute('data-facility'), { timeout: 10_000 }).toBe(ranked[0]!.id);
    await page.context().close();
  }, 300_000);
});

describe('first paint', () => {
  it('the JS comes compressed (brotli) and split by role: the evaluator never downloads deck.gl and gets under 200 KiB', async () => {
    const signed = await signIn(wall, 'evaluator-1', userPassword);
    const state = await signed.context().storageState();
    await signed.context().close();
    const context = await wall.browser.newContext({ viewport: { width: 1366, height: 768 }, storageState: state });
    const page = await context.newPage();
    const scripts: Array<{ url: string; encoding: string | null; bytes: number }> = [];
    const pending: Array<Promise<void>> = [];
    page.on('requestfinished', (req) => {
      if (req.url().endsWith('.js')) pending.push((async () => void scripts.push({ url: req.url(), encoding: (await req.response())?.headers()['content-encoding'] ?? null, bytes: (await req.sizes()).responseBodySize }))().catch(() => {}));
    });
    await page.goto(`${wall.url}/`);
    await page.getByTestId('panel-kpi').waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    expect(scripts.length).toBeGreaterThan(2);
    expect(scripts.some((x) => /city-map|webgl|deck/.test(x.url))).toBe(false);
    // every script of a size worth compressing arrived as brotli
    expect(scripts.filter((x) => x.bytes > 1024 && x.encoding !== 'br')).toEqual([]);
    expect(scripts.reduce((a, x) => a + x.bytes, 0)).toBeLessThan(200 * 1024);
    await context.close();
  }, 300_000);
});
