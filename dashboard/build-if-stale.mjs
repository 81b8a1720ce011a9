#!/usr/bin/env node
// `npm start` runs this first (root "prestart"): builds the dashboard when dashboard/dist is
// missing or older than its sources, so a fresh clone serves a built wall and a rebuild
// costs nothing when nothing changed. Plain Node (no tsx) so it runs before anything else.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const built = join(dir, 'dist', 'index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

// the streams manifest's schema (@haidang/stream/manifest) is bundled too
const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', '../stream/src/contracts/manifest.ts'].map((f) => join(dir, f)).filter(existsSync);
const sourceTime = Math.max(...sources.map(newest));
const reason = !existsSync(built) ? 'no build yet' : statSync(built).mtimeMs < sourceTime ? 'sources changed since the last build' : null;
if (!reason) {
  console.log('[dashboard] build is current (dashboard/dist)');
  process.exit(0);
}
console.log(`[dashboard] building the dashboard with vite (${reason}) …`);
const t0 = Date.now();
const r = spawnSync(process.execPath, [join(dir, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('[dashboard] build failed; the api will answer 503 at / until `npm run build` succeeds');
  process.exit(r.status ?? 1);
}
console.log(`[dashboard] built in ${((Date.now() - t0) / 1000).toFixed(1)} s → dashboard/dist`);
