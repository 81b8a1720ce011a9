import fastifyMultipart from '@fastify/multipart';
import { createClient } from '@clickhouse/client';
import Fastify from 'fastify';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Logger } from '@haidang/stream';
import type { EventPublisher, PublishResult } from '../../src/push/event-publisher.ts';
import { IngestError } from '../../src/push/ingest-error.ts';
import type { SourceKey } from '../../src/sources/source-keys.ts';
import { defaultUploadLimits, handleUpload } from '../../src/upload/upload-route.ts';

/**
 * The store goes away in the middle of an upload: the first chunk was stored, the second
 * meets a store that refuses connections (the error is the one ClickHouse's own client gives
 * against a closed port). The publisher is a stand-in so the outage falls between the same
 * two chunks every run.
 */
type Ev = { id: string; entity: string; observedAt: string };
let outage: unknown;
const sent: number[] = [];
const publisher = {
  held: async () => ({ held: new Set<string>(), conflicts: new Set<string>() }),
  publish: async (_stream: string, events: readonly Ev[]): Promise<PublishResult> => {
    sent.push(events.length);
    if (sent.length > 1) throw outage;
    return { published: events.length, duplicates: new Set(), conflicts: new Set() };
  },
  lostToConflicts: async () => new Set<string>(),
} as unknown as EventPublisher;
const quiet = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet } as unknown as Logger;
const key = { source: 's', entities: ['m-1'], streams: ['prices'] } as unknown as SourceKey;

const app = Fastify();
beforeAll(async () => {
  // a port nothing listens on: taken, then closed
  const probe = createServer();
  const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)));
  await new Promise((r) => probe.close(r));
  const client = createClient({ url: `http://127.0.0.1:${port}`, request_timeout: 2_000, log: { level: 127 } });
  outage = await client.query({ query: 'SELECT 1' }).catch((e: unknown) => e);
  await client.close();
  await app.register(fastifyMultipart);
  app.post('/upload', async (request, reply) => {
    try {
      return await handleUpload(request, reply, { stream: 'prices', key, keyStillValid: async () => key, publisher, commodities: [], limits: { ...defaultUploadLimits, batchRows: 5 }, logger: quiet, strict: false });
    } catch (e) {
      return e instanceof IngestError ? { code: e.code, status: e.status, retryable: e.retryable, detail: e.message, accepted: e.context.accepted, retryAfterSeconds: e.context.retryAfterSeconds } : { other: String(e) };
    }
  });
});
afterAll(() => app.close());

it('a store outage part way through an upload is a 503 to retry, saying how many rows were stored and to send the whole file again', async () => {
  expect(outage).toBeInstanceOf(Error);
  const rows = Array.from({ length: 12 }, (_, i) => `m-1,01/03/2023 07:${String(i).padStart(2, '0')},pork,kg,95.000\n`).join('');
  const payload = Buffer.from(`--b\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\nContent-Type: text/csv\r\n\r\nChợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\n${rows}\r\n--b--\r\n`);
  const res = await app.inject({ method: 'POST', url: '/upload', payload, headers: { 'content-type': 'multipart/form-data; boundary=b' } });
  expect(sent.slice(0, 2)).toEqual([5, 5]);
  expect(res.json()).toEqual({
    code: 'HD_INGEST_NOT_STORED',
    status: 503,
    retryable: true,
    accepted: 5,
    retryAfterSeconds: 5,
    detail: 'the store or the log did not answer while the file was being stored: 5 rows before it were accepted (stored); rows after them may or may not have been stored. Send the whole file again once they answer: rows already stored are not stored twice',
  });
});
