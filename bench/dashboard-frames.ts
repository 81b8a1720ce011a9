/**
 * Dashboard figures (printed, never judged): the build's gzip size, time to first meaningful
 * paint on the local server (the map drawn and the capacity table filled), and frame times
 * while 5,000 synthetic facilities update once a second.
 *
 * Real `haidang start` (no simulator: only the synthetic data moves) and Debian's Chromium;
 * WebGL runs on SwiftShader (CPU), so compare runs with each other, not with a GPU wall.
 * The synthetic places come from a routed GET /api/v1/map; the updates go through the same
 * reducer as the socket's deltas (window.__haidangInject).
 *
 *   npx tsx bench/dashboard-frames.ts [--facilities 5000] [--seconds 20]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { repoRoot } from '../tests/setup/processes.ts';
import { adminPassword, createUser, signIn, startWall, userPassword, type Wall } from '../tests/browser/wall-harness.ts';

const { values: args } = parseArgs({ options: { facilities: { type: 'string', default: '5000' }, seconds: { type: 'string', default: '20' } } });
const n = Number(args.facilities);
const seconds = Number(args.seconds);

function bundleSize() {
  const dir = join(repoRoot, 'dashboard/dist/assets');
  let js = 0, css = 0, jsGz = 0, cssGz = 0;
  for (const f of readdirSync(dir)) {
    const b = readFileSync(join(dir, f));
    if (f.endsWith('.js')) (js += b.length), (jsGz += gzipSync(b, { level: 9 }).length);
    if (f.endsWith('.css')) (css += b.length), (cssGz += gzipSync(b, { level: 9 }).length);
  }
  return { jsBytes: js, jsGzipBytes: jsGz, cssBytes: css, cssGzipBytes: cssGz };
}

/** the JS the first paint needs: the entry script and what index.html preloads with it (gzip -9) */
function entryJs() {
  const dist = join(repoRoot, 'dashboard/dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  return { files, gzipBytes: files.reduce((a, f) => a + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0) };
}

/** per role: the JS a fresh browser downloads until the signed-in wall has settled (bytes on the wire), and whether deck.gl came with it */
async function jsPerRole(wall: Wall) {
  const out: Record<string, { wireBytes: number; decodedBytes: number; files: number; deckGl: boolean; encodings: string[] }> = {};
  for (const role of ['evaluator', 'health', 'operator', 'admin'] as const) {
    const user = role === 'admin' ? 'admin' : await createUser(wall, role);
    const signed = await signIn(wall, user, role === 'admin' ? adminPassword : userPassword, { width: 1920, height: 1080 });
    const state = await signed.context().storageState();
    await signed.context().close();
    const context = await wall.browser.newContext({ viewport: { width: 1920, height: 1080 }, storageState: state });
    const page = await context.newPage();
    const scripts: Array<{ url: string; wire: number; decoded: number; encoding: string }> = [];
    const pending: Array<Promise<void>> = [];
    page.on('requestfinished', (req) => {
      if (!req.url().endsWith('.js')) return;
      pending.push(
        (async () => {
          const [sizes, res] = await Promise.all([req.sizes(), req.response()]);
          scripts.push({ url: req.url(), wire: sizes.responseBodySize, decoded: (await res?.body())?.length ?? 0, encoding: (await res?.headerValue('content-encoding')) ?? 'identity' });
        })().catch(() => {}),
      );
    });
    await page.goto(`${wall.url}/`);
    await page.locator('.wall').waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1000);
    await Promise.all(pending);
    out[role] = { wireBytes: scripts.reduce((a, x) => a + x.wire, 0), decodedBytes: scripts.reduce((a, x) => a + x.decoded, 0), files: scripts.length, deckGl: scripts.some((x) => /city-map|webgl/.test(x.url)), encodings: [...new Set(scripts.map((x) => x.encoding))] };
    await context.close();
  }
  return out;
}

const wall = await startWall('bench-dashboard', { rate: 0 });
try {
  const size = bundleSize();
  const entry = entryJs();
  const roles = await jsPerRole(wall);
  console.log(JSON.stringify({ bench: 'dashboard-js', entryGzipBytes: entry.gzipBytes, entryFiles: entry.files, roles }));
  for (const [role, r] of Object.entries(roles)) console.log(`${role}: ${r.files} JS files, ${(r.wireBytes / 1024).toFixed(0)} KiB on the wire (${r.encodings.join(', ')}), ${(r.decodedBytes / 1024).toFixed(0)} KiB decoded, deck.gl ${r.deckGl ? 'loaded' : 'not loaded'}`);
  console.log(`first paint needs ${entry.files.length} JS files, ${(entry.gzipBytes / 1024).toFixed(0)} KiB gzip`);

  // first meaningful paint: a signed-in wall reloaded; map canvas drawn and capacity rows shown
  const page = await signIn(wall, 'admin', adminPassword, { width: 1920, height: 1080 });
  const paints: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    await page.reload();
    await page.getByTestId('map').locator('canvas').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=free-oxygen-now]') !== null);
    paints.push(Date.now() - t0);
  }
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);

  // 5,000 facilities around the city, each updated once a second
  const real = (await (await wall.adminFetch('/api/v1/map')).json()) as { facilities: unknown[] };
  const facilities = Array.from({ length: n }, (_, i) => ({ id: `syn-${i}`, name: `Cơ sở ${i}`, tier: 1 + (i % 3), wardCode: '26506', lat: 10.33 + ((i * 7919) % 1000) / 1000 * 0.12, lon: 107.05 + ((i * 104729) % 1000) / 1000 * 0.15 }));
  await page.route('**/api/v1/map', async (route) => {
    const r = await route.fetch();
    const body = (await r.json()) as Record<string, unknown>;
    await route.fulfill({ response: r, json: { ...body, facilities: [...(real.facilities as never[]), ...facilities] } });
  });
  await page.reload();
  await page.getByTestId('map').locator('canvas').waitFor();
  // tsx keeps function names with an `__name` helper that the page does not have
  await page.evaluate('window.__name = (f) => f');
  const result = await page.evaluate(
    async ({ ids, seconds }) => {
      const inject = (window as unknown as { __haidangInject: (f: unknown) => void }).__haidangInject;
      const row = (id: string, occ: number, at: string) => ({ entity: id, tier: 1, bedsTotal: 100, bedsOccupied: occ, oxygenBedsTotal: 50, oxygenBedsOccupied: Math.min(50, occ), icuBedsTotal: 0, icuBedsOccupied: 0, ventilatorsTotal: 0, ventilatorsInUse: 0, oxygenStockLitres: 0, observedAt: at, receivedAt: at });
      const frames: number[] = [];
      let last = performance.now();
      let running = true;
      const tick = (t: number) => {
        frames.push(t - last);
        last = t;
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const updateMs: number[] = [];
      for (let s = 0; s < seconds; s++) {
        const at = new Date().toISOString();
        const t0 = performance.now();
        inject({ delta: { capacity: ids.map((id, i) => row(id, (i * 13 + s * 7) % 60, at)) } });
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        updateMs.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 1000));
      }
      running = false;
      const sorted = frames.slice(5).sort((a, b) => a - b);
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
      const u = updateMs.sort((a, b) => a - b);
      return { frames: sorted.length, p50: q(0.5), p95: q(0.95), max: sorted[sorted.length - 1]!, over50ms: sorted.filter((f) => f > 50).length, updateP50: u[Math.floor(u.length / 2)]!, updateMax: u[u.length - 1]! };
    },
    { ids: facilities.map((f) => f.id), seconds },
  );
  const out = { bench: 'dashboard', ...size, firstMeaningfulPaintMs: paints, firstContentfulPaintMs: fcp, facilities: n, seconds, frameMs: { p50: result.p50, p95: result.p95, max: result.max }, framesOver50ms: result.over50ms, frames: result.frames, updateToNextFrameMs: { p50: result.updateP50, max: result.updateMax } };
  console.log(JSON.stringify(out));
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
  console.log(`bundle: JS ${kb(size.jsBytes)} (gzip ${kb(size.jsGzipBytes)}), CSS ${kb(size.cssBytes)} (gzip ${kb(size.cssGzipBytes)})`);
  console.log(`first meaningful paint (reload, signed in): ${paints.join(' / ')} ms; first contentful paint ${fcp?.toFixed(0)} ms`);
  console.log(`${n} facilities updated once a second for ${seconds} s: frame p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, max ${result.max.toFixed(0)} ms, ${result.over50ms}/${result.frames} frames over 50 ms; update → next frame p50 ${result.updateP50.toFixed(0)} ms, max ${result.updateMax.toFixed(0)} ms (SwiftShader)`);
} finally {
  await wall.stop();
}
