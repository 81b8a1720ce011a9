import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, screenshots, signIn, startWall, userPassword, type Wall } from './wall-harness.ts';

/**
 * Foresight on the wall: the health centre sees the oxygen-bed forecast, the operator sees
 * which sources deliver, the evaluator downloads the plan's evaluation reports.
 */
let wall: Wall;
beforeAll(async () => {
  wall = await startWall('wall-foresight', { rate: 300 });
  for (const role of ['operator', 'health', 'evaluator'] as const) await createUser(wall, role);
}, 240_000);
afterAll(async () => wall?.stop());

/** clicks a report button and returns the downloaded file's bytes, checking the button said "preparing…" meanwhile */
async function downloadReport(page: Page, report: string, format: 'pdf' | 'xlsx'): Promise<{ name: string; bytes: Buffer }> {
  await page.getByTestId('report-format').selectOption(format);
  const button = page.getByTestId(`report-${report}`);
  await button.waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 240_000 }),
    (async () => {
      await button.click();
      // the state shows while the report is made (it may already be gone on a fast machine)
      await expect.poll(async () => (await button.innerText()).includes('Đang chuẩn bị') || (await button.getAttribute('aria-busy')) === 'false', { timeout: 30_000 }).toBe(true);
    })(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

describe('foresight', () => {
  it('the evaluator downloads the PDF and the XLSX evaluation report of a plan date', async () => {
    const page = await signIn(wall, 'evaluator-1', userPassword, { acceptDownloads: true });
    await page.getByTestId('report-buttons').waitFor({ timeout: 60_000 });
    const pdf = await downloadReport(page, '2022-08-15', 'pdf');
    expect(pdf.name).toMatch(/\.pdf$/);
    expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const xlsx = await downloadReport(page, '2022-08-15', 'xlsx');
    expect(xlsx.name).toMatch(/\.xlsx$/);
    // an XLSX is a zip: it starts with "PK"
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    await page.context().close();
  }, 600_000);

  it('the evaluator picks any period, previews its figures (and what is missing) and downloads its XLSX and PDF', async () => {
    const page = await signIn(wall, 'evaluator-1', userPassword, { acceptDownloads: true });
    await page.getByTestId('report-period').waitFor({ timeout: 60_000 });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const weekAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('report-from').fill(weekAgo);
    await page.getByTestId('report-to').fill(today);
    await page.getByTestId('report-preview-button').click();
    const preview = page.getByTestId('report-preview');
    await preview.waitFor({ timeout: 120_000 });
    // the simulator's day of history: KPI rows, the days without reports named, the IOC's own figures
    await expect.poll(() => preview.locator('tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    expect(await page.getByTestId('report-missing').innerText()).toMatch(/có số liệu \d+\/7 ngày/);
    expect(await page.getByTestId('report-system').innerText()).toMatch(/báo cáo từ \d+ nguồn/);
    await page.getByTestId('report-buttons').screenshot({ path: join(screenshots, 'report-any-period.png') });
    // the KPI card of a cumulative KPI says what it starts from: the pack's opening balance
    await expect.poll(() => page.getByTestId('kpi-opening-vaccination-coverage-dose1').innerText(), { timeout: 60_000 }).toContain('251.987');
    for (const [format, magic] of [['xlsx', 'PK'], ['pdf', '%PDF']] as const) {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 240_000 }), page.getByTestId(`report-custom-${format}`).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^haidang-evaluation_${weekAgo}_${today}_generated-.*\\.${format}$`));
      const bytes = await readFile(await download.path());
      expect(bytes.subarray(0, magic.length).toString('latin1')).toBe(magic);
    }
    await page.context().close();
  }, 600_000);

  it('the operator sees the source-health panel listing the simulator with its status', async () => {
    const page = await signIn(wall, 'operator-1', userPassword, { width: 1920, height: 1080 });
    const panel = page.getByTestId('panel-sources');
    await panel.waitFor({ timeout: 60_000 });
    const row = panel.locator('tr[data-source^="simulator"]').first();
    await row.waitFor({ timeout: 120_000 });
    expect(await row.getAttribute('data-status')).toMatch(/^(ok|late|silent)$/);
    expect(await row.innerText()).toMatch(/Bình thường|Chậm|Im lặng/);
    await panel.screenshot({ path: join(screenshots, 'wall-source-health.png') });
    await page.context().close();
  }, 420_000);

  it('the health centre sees the tier-2 oxygen-bed forecast with its time to full and method, in vi and en', async () => {
    const page = await signIn(wall, 'health-1', userPassword, { width: 1920, height: 1080 });
    const forecast = page.getByTestId('forecast');
    await forecast.waitFor({ timeout: 60_000 });
    // the simulator first publishes a day of capacity history; the forecast appears once it is stored
    await expect.poll(() => page.getByTestId('forecast-chart').count(), { timeout: 240_000, interval: 2_000 }).toBe(1);
    await expect.poll(() => forecast.locator('canvas').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('forecast-time-to-full').innerText()).toMatch(/Đầy|Không đầy|Đã đầy/);
    expect((await page.getByTestId('forecast-method').innerText()).length).toBeGreaterThan(10);
    await page.getByTestId('forecast').screenshot({ path: join(screenshots, 'wall-forecast-vi.png') });
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('forecast-time-to-full').innerText(), { timeout: 30_000 }).toMatch(/full|not within/);
    await page.context().close();
  }, 420_000);
});
