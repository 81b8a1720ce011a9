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
