import { afterAll, beforeAll, expect, it } from 'vitest';
import { startIngestApi, type IngestTestApi } from '../push/ingest-test-api.ts';

let t: IngestTestApi;
let key: string;
beforeAll(async () => {
  t = await startIngestApi();
  key = await t.keyFor('bv-dong-thoi', ['capacity'], ['f-a']);
});
afterAll(async () => t?.close());

const boundary = '----same';
const header = 'Cơ sở,Ngày báo cáo,Tầng,Tổng số giường,Giường đang sử dụng,Giường oxy,Giường oxy đang sử dụng,Thở oxy mask,Thở HFNC,Thở máy không xâm nhập,Thở máy xâm nhập,ECMO,Giường hồi sức,Giường hồi sức đang sử dụng,Máy thở,Máy thở đang sử dụng,Oxy tồn kho (lít)\n';
const pad = (n: number) => String(n).padStart(2, '0');
const csv = (year: number, n: number) => header + Array.from({ length: n }, (_, i) => { const d = new Date(Date.UTC(year, 1, 1) + i * 3_600_000); return `f-a,${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:00,2,200,120,80,60,40,10,5,4,1,20,10,15,5,120000\n`; }).join('');
const upload = (body: string) => t.app.inject({ method: 'POST', url: '/ingest/v1/capacity/upload', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${key}` }, payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="same.csv"\r\nContent-Type: text/csv\r\n\r\n${body}\r\n--${boundary}--\r\n`) });

it('one file uploaded three times at once: every reply accepts every row, each row stored once, no dead letter', async () => {
  for (const year of [2001, 2004]) {
    const body = csv(year, 20_000);
    const replies = await Promise.all([upload(body), upload(body), upload(body)]);
    for (const r of replies) expect(r.json(), `${year}: ${r.body.slice(0, 400)}`).toMatchObject({ rows: 20_000, accepted: 20_000, refused: 0 });
    const from = new Date(Date.UTC(year, 0, 31)).toISOString().slice(0, 10);
    const to = new Date(Date.UTC(year + 3, 0, 1)).toISOString().slice(0, 10);
    expect(await t.count(`SELECT count() FROM capacity_raw WHERE observed_at >= '${from}' AND observed_at < '${to}'`)).toBe(20_000);
  }
  expect(await t.count("SELECT count() FROM deadletter WHERE reason = 'HD_EVENT_CONFLICTING_ID'")).toBe(0);
}, 600_000);
