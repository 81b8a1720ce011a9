import fastifyMultipart from '@fastify/multipart';
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Logger } from '@haidang/stream';
import type { EventPublisher, PublishResult } from '../../src/push/event-publisher.ts';
import { IngestError } from '../../src/push/ingest-error.ts';
import type { SourceKey } from '../../src/sources/source-keys.ts';
import { defaultUploadLimits, handleUpload } from '../../src/upload/upload-route.ts';

/**
 * The upload route with a stand-in publisher. Strict under concurrency (the tester's finding: two strict uploads of the same ids with
 * other content, in opposite order, each stored half). The check before the store finds no
 * conflict; then, while the rows are stored chunk by chunk, another writer stores some of the
 * ids with other content: the publisher refuses them. The upload stops there and says exactly
 * what the store holds of it; it does not claim strictness held. The publisher is a stand-in
 * that plays that other writer, so the race is the same every run. And an XLSX's own time
 * limit, which starts once it is received whole.
 */
type Ev = { id: string; entity: string; observedAt: string };
const sent: Ev[][] = [];
/** from the second chunk on, another writer has stored these ids with other content */
const publisher = {
  held: async () => ({ held: new Set<string>(), conflicts: new Set<string>() }),
  publish: async (_stream: string, events: readonly Ev[]): Promise<PublishResult> => {
    sent.push([...events]);
    if (sent.length === 1) return { published: events.length, duplicates: new Set(), conflicts: new Set() };
    return { published: 0, duplicates: new Set(), conflicts: new Set(events.map((e) => e.id.toLowerCase())) };
  },
  lostToConflicts: async () => new Set<string>(),
  // (the other writer is another process: this one's claims see nothing of it)
  claim: () => ({ conflicts: new Set<string>(), claimed: [] }),
  release: () => {},
} as unknown as EventPublisher;
const quiet = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet } as unknown as Logger;
const key = { source: 's', entities: ['m-1'], streams: ['prices'] } as unknown as SourceKey;

const app = Fastify();
beforeAll(async () => {
  await app.register(fastifyMultipart);
  app.post('/upload', (request, reply) =>
    handleUpload(request, reply, { stream: 'prices', key, keyStillValid: async () => key, publisher, commodities: [{ id: 'pork', name: { vi: 'Thịt heo', en: 'Pork' }, unit: 'kg' }], limits: { ...defaultUploadLimits, batchRows: 5 }, logger: quiet, strict: true }),
  );
  // an XLSX is read whole once received, its connection idle meanwhile: its own limit (here 1 ms) starts then
  app.post('/upload-xlsx', async (request, reply) => {
    try {
      return await handleUpload(request, reply, { stream: 'prices', key, keyStillValid: async () => key, publisher, commodities: [], limits: { ...defaultUploadLimits, xlsxTimeoutMs: 1 }, logger: quiet, strict: false });
    } catch (e) {
      return { code: e instanceof IngestError ? e.code : 'other', detail: (e as Error).message };
    }
  });
});
afterAll(() => app.close());

it('an XLSX has its own time limit from its receipt, well under the idle connection timeout (120 s), so its 422 reaches the client', async () => {
  expect(defaultUploadLimits.xlsxTimeoutMs).toBeLessThanOrEqual(60_000);
  const xlsx = readFileSync(join(import.meta.dirname, 'fixtures', 'gia-cho-nfd.xlsx'));
  const payload = Buffer.concat([Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="g.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n'), xlsx, Buffer.from('\r\n--b--\r\n')]);
  const res = await app.inject({ method: 'POST', url: '/upload-xlsx', payload, headers: { 'content-type': 'multipart/form-data; boundary=b' } });
  expect(res.json()).toEqual({ code: 'HD_INGEST_PARSE_TIMEOUT', detail: `the workbook (received whole, ${xlsx.length} bytes) was not read within 0 s` });
});

it('strict: a conflict that appears while the rows are stored stops the upload there, and the answer says exactly what was stored', async () => {
  const id = (i: number) => `0191bbbb-0000-7000-8000-${String(i).padStart(12, '0')}`;
  const rows = Array.from({ length: 15 }, (_, i) => `${id(i)},m-1,01/02/2022 ${String(7 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},pork,kg,95.000\n`).join('');
  const csv = `Mã báo cáo,Chợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\n${rows}`;
  const payload = Buffer.from(`--b\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--b--\r\n`);
  const res = await app.inject({ method: 'POST', url: '/upload', payload, headers: { 'content-type': 'multipart/form-data; boundary=b' } });
  expect(res.statusCode, res.body).toBe(207);
  const body = res.json();
  // the first chunk (rows 2–6) was stored; the second (rows 7–11) met the other writer's ids; the third was never sent
  expect(sent.map((c) => c.length)).toEqual([5, 5]);
  expect(body).toMatchObject({ strict: true, rows: 15, accepted: 5, refused: 5, strictNotHeld: { notStored: 5 } });
  expect(body.errors.map((e: { row: number }) => e.row)).toEqual([7, 8, 9, 10, 11]);
  expect(body.strictNotHeld.detail).toMatch(/^strict could not hold: after the check, another upload or push stored 5 of this file's ids with other content while its rows were being stored; 5 rows of this file were stored \(accepted\), 5 refused \(errors\), and the other 5 were not sent/);
});
