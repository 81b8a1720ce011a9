import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestApi, type IngestTestApi } from './ingest-test-api.ts';

let t: IngestTestApi;
let key: string;
let victimKey: string;
beforeAll(async () => {
  // small limits, so a test reaches them in a few requests
  t = await startIngestApi({ push: { perKeyPerMinute: 20, failuresPerAddressPerMinute: 5 } });
  key = await t.keyFor('bv-a', ['capacity', 'prices'], ['f-a', 'm-1']);
  victimKey = await t.keyFor('bv-b', ['prices'], ['m-2']);
});
afterAll(async () => t?.close());

const price = (observedAt: string, entity = 'm-1') => ({ entity, observedAt, payload: { commodity: 'pork', unit: 'kg', priceVnd: 95_000 } });
const send = (o: { body: string | Buffer; headers?: Record<string, string>; key?: string; from?: string; stream?: string }) =>
  t.app.inject({
    method: 'POST',
    url: `/ingest/v1/${o.stream ?? 'prices'}`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${o.key ?? key}`, ...o.headers },
    payload: o.body,
    remoteAddress: o.from ?? '10.0.0.1',
  });

describe('every push gets the right class of answer', () => {
  it('`[` × 100,000 is a 400 naming the nesting, with or without an Idempotency-Key, never a 5xx "retry"', async () => {
    for (const headers of [{}, { 'idempotency-key': 'deep-1' }] as Array<Record<string, string>>) {
      const res = await send({ body: '['.repeat(100_000), headers });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'HD_INGEST_NOT_JSON', title: 'Body is not JSON' });
      expect(res.json().detail).toMatch(/nested deeper than 32 levels/);
    }
    // closed brackets too, and objects
    expect((await send({ body: `${'['.repeat(5000)}${']'.repeat(5000)}` })).statusCode).toBe(400);
    expect((await send({ body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` })).statusCode).toBe(400);
    // brackets inside strings do not count
    const inString = await send({ body: JSON.stringify([{ ...price('2022-09-01T07:00:00+07:00'), note: '['.repeat(1000) }]) });
    expect(inString.statusCode).toBe(422); // parsed and judged item by item: the unknown key "note" is refused
    expect(inString.json().items[0].field).toBe('(event)');
  });

  it('a body that is empty, not JSON or carries __proto__ is HD_INGEST_NOT_JSON on the push routes, HD_BODY_NOT_JSON on the api', async () => {
    for (const body of ['', '   ', '{"entity":', '{"__proto__":{"x":1}}', '\u0000']) {
      const res = await send({ body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'HD_INGEST_NOT_JSON', title: 'Body is not JSON' });
    }
    // the same parser on the api's own routes answers with the api's code
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(login.statusCode).toBe(400);
    expect(login.json()).toMatchObject({ code: 'HD_BODY_NOT_JSON', detail: expect.stringMatching(/not valid JSON/) });
  });

  it('text/plain is 415, a broken gzip body is a 400 titled in words, a BOM is accepted', async () => {
    const plain = await send({ body: JSON.stringify(price('2022-09-02T07:00:00+07:00')), headers: { 'content-type': 'text/plain' } });
    expect(plain.statusCode).toBe(415);
    expect(plain.json()).toMatchObject({ code: 'HD_INGEST_UNSUPPORTED', title: 'Unsupported media type' });
    const gz = gzipSync(JSON.stringify(price('2022-09-02T07:00:00+07:00')));
    for (const body of [Buffer.from('definitely not gzip'), gz.subarray(0, gz.length - 6)]) {
      const broken = await send({ body, headers: { 'content-encoding': 'gzip' } });
      expect(broken.statusCode).toBe(400);
      expect(broken.json()).toMatchObject({ code: 'HD_INGEST_BAD_ENCODING', title: 'Body is not valid gzip' });
      expect(JSON.stringify(broken.json())).not.toMatch(/Z_[A-Z_]+/);
    }
    // a content type refused before the body is read: zlib's error must not escape (it ended the process)
    const refusedFirst = await send({ body: Buffer.from('not gzip at all'), headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain' } });
    expect(refusedFirst.statusCode).toBe(415);
    await new Promise((r) => setTimeout(r, 200));
    const bom = await send({ body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(price('2022-09-02T07:00:00+07:00')))]) });
    expect(bom.statusCode).toBe(202);
    const bomGzip = await send({ body: gzipSync(`\ufeff${JSON.stringify(price('2022-09-02T08:00:00+07:00'))}`), headers: { 'content-encoding': 'gzip' } });
    expect(bomGzip.statusCode).toBe(202);
    expect(await t.count("SELECT count() FROM prices_raw WHERE toDate(observed_at) = '2022-09-02'")).toBe(2);
    // not JSON, and a prototype key, are 400 in words
    const notJson = await send({ body: '{"entity": ' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().title).toBe('Body is not JSON');
    expect((await send({ body: '{"__proto__": {"x": 1}}' })).statusCode).toBe(400);
    const badIdem = await send({ body: JSON.stringify(price('2022-09-02T09:00:00+07:00')), headers: { 'idempotency-key': 'ä' } });
    expect(badIdem.statusCode).toBe(400);
    expect(badIdem.json().errors[0].field).toBe('headers.idempotency-key');
  });
});

describe('push limits cannot be turned against a victim', () => {
  it('garbage keys carrying the victim key id are limited per address (429, Retry-After); the victim keeps pushing', async () => {
    const victimId = /^hd_([0-9a-f]{16})_/.exec(victimKey)![1];
    const forged = `hd_${victimId}_${'A'.repeat(43)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await send({ body: JSON.stringify(price('2022-09-03T07:00:00+07:00', 'm-2')), key: forged, from: '10.66.0.1' })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const limited = await send({ body: '{}', key: forged, from: '10.66.0.1' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.json()).toMatchObject({ code: 'HD_INGEST_RATE_LIMITED', title: 'Too many requests' });
    // invented key ids and no key at all count against the same address
    expect((await send({ body: '{}', key: `hd_${'0'.repeat(16)}_${'B'.repeat(43)}`, from: '10.66.0.1' })).statusCode).toBe(429);
    const fresh: number[] = [];
    for (let i = 0; i < 8; i++) fresh.push((await send({ body: '{}', key: `hd_${i.toString(16).padStart(16, '0')}_${'C'.repeat(43)}`, from: '10.67.0.1' })).statusCode);
    expect(fresh).toContain(429);
    // the victim, from its own address, is not affected
    const victim = await send({ body: JSON.stringify(price('2022-09-03T07:00:00+07:00', 'm-2')), key: victimKey, from: '10.0.0.9' });
    expect(victim.statusCode).toBe(202);
  });

  it('a verified key is limited per key, whatever the address, with Retry-After', async () => {
    const own = await t.keyFor('bv-c', ['prices'], ['m-1']);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await send({ body: JSON.stringify(price(`2022-09-04T${String(i).padStart(2, '0')}:00:00+07:00`)), key: own, from: `10.5.0.${i}` })).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    const res = await send({ body: '{}', key: own, from: '10.5.1.1' });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

it('a key label with a bidirectional override or a control character is refused naming it', async () => {
  for (const label of ['a\u2066b', 'line\nbreak']) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/sources/keys', headers: { cookie: t.admin }, payload: { source: 'bv-label', streams: ['prices'], entities: ['m-1'], label } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors[0].field).toBe('body.label');
  }
});
