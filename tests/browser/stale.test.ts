import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminPassword, push, screenshots, signIn, sourceKey, startWall, type Wall } from './wall-harness.ts';

/**
 * No simulator: the only data is what a source pushes. Every panel starts stale ("no data");
 * once a hospital reports, its panel turns fresh with the pushed numbers while the silent
 * sources stay visibly stale.
 */
let wall: Wall;
beforeAll(async () => {
  wall = await startWall('wall-stale', { rate: 0 });
}, 240_000);
afterAll(async () => wall?.stop());

it('silent sources are shown stale; a source that reports turns fresh with its numbers', async () => {
  const page = await signIn(wall, 'admin', adminPassword, { width: 1366, height: 768 });
  await expect.poll(() => page.getByTestId('fresh-capacity').getAttribute('data-stale'), { timeout: 60_000 }).toBe('true');
  await expect.poll(() => page.getByTestId('fresh-vaccination').innerText(), { timeout: 30_000 }).toContain('Chưa có dữ liệu');
  await expect.poll(() => page.getByTestId('stale-banner').isVisible(), { timeout: 30_000 }).toBe(true);

  const key = await sourceKey(wall, 'capacity', ['bv-vung-tau-hscc']);
  await push(wall, key, 'capacity', [
    {
      entity: 'bv-vung-tau-hscc',
      observedAt: new Date().toISOString(),
      payload: { tier: 3, bedsTotal: 30, bedsOccupied: 12, oxygenBedsTotal: 30, oxygenBedsOccupied: 12, patientsBySupport: { mask: 4, hfnc: 3, niv: 2, invasive: 2, ecmo: 1 }, icuBedsTotal: 30, icuBedsOccupied: 12, ventilatorsTotal: 20, ventilatorsInUse: 3, oxygenStockLitres: 1_000_000 },
    },
  ]);
  // the delta arrives over the socket; freshness is re-read every 10 s
  await expect.poll(() => page.getByTestId('free-oxygen-now').innerText(), { timeout: 60_000 }).toContain('18');
  await expect.poll(() => page.getByTestId('fresh-capacity').getAttribute('data-stale'), { timeout: 60_000 }).toBe('false');
  expect(await page.getByTestId('fresh-vaccination').getAttribute('data-stale')).toBe('true');
  await page.screenshot({ path: join(screenshots, 'wall-stale-sources-1366x768.png') });
  await page.context().close();
}, 420_000);

it.each([
  ['vi', 1366, 768],
  ['en', 1920, 1080],
] as const)('the header names the stale streams and their numbers are dimmed; a lost connection says so and dims the whole wall (%s, %i×%i)', async (lang, width, height) => {
  const page = await signIn(wall, 'admin', adminPassword, { width, height });
  if (lang === 'en') {
    await page.evaluate(() => localStorage.setItem('haidang.lang', 'en'));
    await page.reload();
    await page.locator('.wall').waitFor({ timeout: 60_000 });
  }
  const banner = page.getByTestId('stale-banner');
  await expect.poll(() => banner.innerText(), { timeout: 60_000 }).toContain(lang === 'vi' ? 'Dữ liệu cũ: ' : 'Stale: ');
  expect(await banner.innerText()).toContain(lang === 'vi' ? 'Tiêm chủng' : 'Vaccination');
  expect(await banner.innerText()).not.toContain(lang === 'vi' ? 'Năng lực' : 'Capacity'); // capacity reported above
  const vaccination = page.getByTestId('panel-vaccination');
  expect(await vaccination.getAttribute('data-stale')).toBe('true');
  expect(Number(await vaccination.locator('.panel-body').evaluate((e) => getComputedStyle(e).opacity))).toBeLessThan(0.6);
  expect(Number(await page.getByTestId('panel-capacity').locator('.panel-body').evaluate((e) => getComputedStyle(e).opacity))).toBe(1);

  await page.context().setOffline(true);
  await expect.poll(() => page.getByTestId('offline-banner').isVisible(), { timeout: 60_000 }).toBe(true);
  expect(await page.getByTestId('offline-banner').innerText()).toContain(lang === 'vi' ? 'Mất kết nối tới máy chủ' : 'Connection to the server lost');
  // the sources are not blamed for the wall's own lost connection
  expect(await page.getByTestId('fresh-capacity').getAttribute('data-reason')).toBe('offline');
  expect(await page.getByTestId('stale-banner').count()).toBe(0);
  expect(Number(await page.locator('main.grid').evaluate((e) => getComputedStyle(e).opacity))).toBeLessThan(0.6);
  await page.screenshot({ path: join(screenshots, `wall-offline-${width}x${height}-${lang}.png`) });
  await page.context().setOffline(false);
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('live');
  expect(await page.getByTestId('offline-banner').count()).toBe(0);
  await page.context().close();
}, 300_000);

it('a wall token keeps a kiosk signed in, through a lost session and a reconnect, until an admin revokes it', async () => {
  const created = await wall.adminFetch('/api/v1/wall-tokens', { method: 'POST', body: { label: 'ioc-wall', view: 'operator' } });
  expect(created.status).toBe(201);
  const { url, record } = (await created.json()) as { url: string; record: { tokenId: string } };
  const context = await wall.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  await page.goto(wall.url + url);
  await page.locator('.wall').waitFor({ timeout: 60_000 });
  expect(page.url()).not.toContain('wall='); // the token leaves the address bar
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
  expect(await page.getByTestId('panel-prices').isVisible()).toBe(true);
  // read-only: no acknowledging, no sign-out button on the wall
  expect(await page.getByTestId('logout').count()).toBe(0);

  // the session is gone (12 h passed, or the server restarted with a new secret): a reload signs in again by itself
  await context.clearCookies();
  await page.reload();
  await page.locator('.wall').waitFor({ timeout: 60_000 });
  expect(await page.getByLabel('Mật khẩu').count()).toBe(0);
  // and so does the live connection when it comes back without a session
  await context.clearCookies();
  await context.setOffline(true);
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('disconnected');
  await context.setOffline(false);
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 90_000 }).toBe('live');
  expect((await context.cookies()).some((c) => c.name === 'haidang_session')).toBe(true);

  const revoked = await wall.adminFetch(`/api/v1/wall-tokens/${record.tokenId}/revoke`, { method: 'POST' });
  expect(revoked.status).toBe(200);
  await page.reload();
  await expect.poll(() => page.getByLabel('Mật khẩu').count(), { timeout: 30_000 }).toBe(1);
  await context.close();
}, 300_000);

it('a kiosk told "too many sign-ins" (429) keeps trying and shows the wall, never the login form', async () => {
  const created = await wall.adminFetch('/api/v1/wall-tokens', { method: 'POST', body: { label: 'busy-wall', view: 'operator' } });
  expect(created.status).toBe(201);
  const { url } = (await created.json()) as { url: string };
  const context = await wall.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  // a room of screens signing in together after a restart: the first two sign-ins are turned away
  let refused = 0;
  await context.route('**/api/v1/auth/wall', (route) =>
    refused < 2 ? (refused++, route.fulfill({ status: 429, contentType: 'application/problem+json', headers: { 'retry-after': '1' }, body: JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'rate limited', code: 'HD_RATE_LIMITED' }) })) : route.continue(),
  );
  const page = await context.newPage();
  await page.goto(wall.url + url);
  await page.locator('.wall').waitFor({ timeout: 60_000 });
  expect(refused).toBe(2);
  expect(await page.getByLabel('Mật khẩu').count()).toBe(0);
  await context.close();
}, 120_000);
