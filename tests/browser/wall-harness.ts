import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot, startHaidang, tempDir, type Service } from '../setup/processes.ts';

/**
 * A real `haidang start` (embedded: chDB, in-process log, simulator) serving the built
 * dashboard, and Debian's Chromium driven by playwright-core. WebGL runs on SwiftShader, so
 * deck.gl really draws. One per test file: each file gets its own process and data folder.
 */
export const adminPassword = 'wall-test-admin-password';
export const userPassword = 'wall-test-user-password';
export const screenshots = join(repoRoot, 'artifacts', 'screenshots');

export interface Wall {
  url: string;
  svc: Service;
  browser: Browser;
  /** a signed-in cookie session's fetch against the api (for setting the scene, not for the assertions) */
  adminFetch(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startWall(name: string, o: { rate: number; speed?: number }): Promise<Wall> {
  // the api serves dashboard/dist: build it when missing or stale (what `npm start` does)
  execFileSync(process.execPath, [join(repoRoot, 'dashboard/build-if-stale.mjs')], { stdio: 'inherit' });
  const svc = startHaidang(['start', '--port', '0'], {
    HAIDANG_DATA_DIR: tempDir(name),
    HAIDANG_ADMIN_PASSWORD: adminPassword,
    HAIDANG_SIM_RATE: String(o.rate),
    HAIDANG_SIM_SPEED: String(o.speed ?? 1),
    KAFKA_BROKERS: '',
    CLICKHOUSE_URL: '',
    LOG_LEVEL: 'info',
  });
  await svc.waitFor(/api at http:\/\/[^ ]+\/api\/v1/, 120_000);
  const url = /api at (http:\/\/[^ /]+)\/api\/v1/.exec(svc.output())![1]!;
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: adminPassword }) });
  if (!login.ok) throw new Error(`admin login: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const adminFetch = (path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }) =>
    fetch(url + path, { method: init?.method ?? 'GET', headers: { cookie, ...(init?.body === undefined ? {} : { 'content-type': 'application/json' }), ...init?.headers }, body: init?.body === undefined ? null : JSON.stringify(init.body) });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  return {
    url,
    svc,
    browser,
    adminFetch,
    async stop() {
      await browser.close().catch(() => {});
      svc.signal('SIGINT');
      await Promise.race([svc.exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (svc.alive()) svc.signal('SIGKILL');
    },
  };
}

/** creates a user of `role` (admin's POST /users) named after it */
export async function createUser(wall: Wall, role: 'operator' | 'health' | 'evaluator' | 'admin', username = `${role}-1`): Promise<string> {
  const r = await wall.adminFetch('/api/v1/users', { method: 'POST', body: { username, role, password: userPassword } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`create ${username}: ${r.status} ${await r.text()}`);
  return username;
}

/**
 * the session of each user after its first sign-in: the api allows 10 sign-ins a minute per
 * client, and every test signing in again from 127.0.0.1 would hit that limit
 */
const sessions = new Map<string, Awaited<ReturnType<import('playwright-core').BrowserContext['storageState']>>>();

/** a fresh browser context signed in (through the login page the first time) */
export async function signIn(wall: Wall, username: string, password: string, o: { width?: number; height?: number; kiosk?: boolean; acceptDownloads?: boolean } = {}): Promise<Page> {
  const known = sessions.get(username);
  const context = await wall.browser.newContext({ viewport: { width: o.width ?? 1366, height: o.height ?? 768 }, acceptDownloads: o.acceptDownloads ?? false, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...(known ? { storageState: known } : {}) });
  const page = await context.newPage();
  await page.goto(`${wall.url}/${o.kiosk ? '?kiosk=1' : ''}`);
  if (!known) {
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
  }
  await page.locator('.wall').waitFor({ timeout: 60_000 });
  if (!known) sessions.set(username, await context.storageState());
  return page;
}

/** an API key for a source that reports `stream` for `entities` (admin, POST /sources/keys) */
export async function sourceKey(wall: Wall, stream: string, entities: string[]): Promise<string> {
  const r = await wall.adminFetch('/api/v1/sources/keys', { method: 'POST', body: { source: `test-${stream}`, label: 'browser test', streams: [stream], entities } });
  if (r.status !== 201) throw new Error(`source key: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { key: string }).key;
}

export async function push(wall: Wall, key: string, stream: string, events: unknown[]): Promise<void> {
  const r = await fetch(`${wall.url}/ingest/v1/${stream}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(events) });
  if (r.status !== 202) throw new Error(`push ${stream}: ${r.status} ${await r.text()}`);
}
