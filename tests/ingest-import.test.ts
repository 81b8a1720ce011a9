import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadCityPack } from '@haidang/city';
import { repoRoot, sql, startHaidang, tempDir } from './setup/processes.ts';

const run = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin/haidang.mjs'), ...args], { cwd: repoRoot, env: { ...process.env, ...env } }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });

it('`haidang import` uploads a report to a running `haidang start`, prints the row report and exits 1 for refused rows', async () => {
  const pack = await loadCityPack();
  const [m1, m2] = pack.markets.map((m) => m.id);
  const dataDir = tempDir('import');
  const adminPassword = 'import-admin-password-1';
  const svc = startHaidang(['start', '--rate', '0', '--port', '0'], { HAIDANG_DATA_DIR: dataDir, KAFKA_BROKERS: '', CLICKHOUSE_URL: '', HAIDANG_ADMIN_PASSWORD: adminPassword });
  try {
    await svc.waitFor(/api at http:\/\/[^/]+\/api\/v1/);
    const url = /api at (http:\/\/[^/]+)\/api\/v1/.exec(svc.output())![1]!;
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: adminPassword }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const created = await fetch(`${url}/api/v1/sources/keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ source: 'phong-kinh-te', streams: ['prices'], entities: [m1] }) });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const file = join(tempDir('import-file'), 'gia-cho.csv');
    // as an office writes it: a title row and an empty line above the header, a note below
    writeFileSync(file, `\ufeffBẢNG GIÁ CHỢ,,,,\n\nChợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\n${m1},15/08/2022 07:00,pork,kg,95.000\n${m1},16/08/2022 07:00,pork,kg,96.500\n${m2},16/08/2022 07:00,pork,kg,97.000\n${m1},17/08/2022,pork,kg,abc\nNgười lập biểu,,,,\n`);
    const r = await run(['import', file, '--stream', 'prices', '--url', url], { HAIDANG_API_KEY: key });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('gia-cho.csv: 4 rows, 2 accepted (0 already stored or repeated in the file), 2 refused');
    expect(r.stdout).toContain('header found in row 3');
    expect(r.stdout).toContain(`6\tChợ\t${m2}\tthis API key may not report for "${m2}"`);
    expect(r.stdout).toContain('7\tGiá (đồng)\tabc\tnot a number');
    expect(r.stdout).toContain('1\ttitle above the header row\tBẢNG GIÁ CHỢ');
    expect(r.stdout).toContain('8\ta note, not a report row: no entity id, date or figure\tNgười lập biểu');
    // Windows-1258 written by glibc iconv (toned vowels as letter + combining mark), named by --encoding
    const legacy = join(tempDir('import-file'), 'gia-cho-1258.csv');
    writeFileSync(legacy, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'WINDOWS-1258'], { input: `BẢNG GIÁ CHỢ TUẦN 34\r\nChợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\r\n${m1},18/08/2022 07:00,Thịt heo nạc,kg,95.500\r\n` }));
    const r1258 = await run(['import', legacy, '--stream', 'prices', '--url', url, '--encoding', 'windows-1258'], { HAIDANG_API_KEY: key });
    expect(r1258.code, r1258.stdout + r1258.stderr).toBe(0);
    expect(r1258.stdout).toContain('gia-cho-1258.csv: 1 rows, 1 accepted (0 already stored or repeated in the file), 0 refused');
    expect(r1258.stdout).toContain('read as windows-1258 (form field)');
    expect(r1258.stdout).toContain('1\ttitle above the header row\tBẢNG GIÁ CHỢ TUẦN 34');
    expect(r.stderr).toMatch(/sent 0\.0 of 0\.0 MB \(100%\)/);
    const wrongKey = await run(['import', file, '--stream', 'prices', '--url', url, '--key', 'nope'], {});
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/HD_INGEST_BAD_KEY/);
  } finally {
    svc.signal('SIGINT');
    await svc.exited;
  }
  const rows = await sql(dataDir, "SELECT count() AS n FROM prices_raw WHERE source = 'phong-kinh-te'");
  expect(Number(rows[0]!.n)).toBe(3);
}, 240_000);
