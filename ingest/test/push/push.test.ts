import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestApi, type IngestTestApi } from './ingest-test-api.ts';

let t: IngestTestApi;
let key: string;
beforeAll(async () => {
  t = await startIngestApi();
  key = await t.keyFor('bv-a', ['capacity', 'prices'], ['f-a', 'm-1']);
});
afterAll(async () => t?.close());

const capacity = (over: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
  entity: 'f-a',
  observedAt: '2022-08-15T07:00:00+07:00',
  payload: { tier: 2, bedsTotal: 200, bedsOccupied: 120, oxygenBedsTotal: 80, oxygenBedsOccupied: 60, patientsBySupport: { mask: 40, hfnc: 10, niv: 5, invasive: 4, ecmo: 1 }, icuBedsTotal: 20, icuBedsOccupied: 10, ventilatorsTotal: 15, ventilatorsInUse: 5, oxygenStockLitres: 120000, ...payload },
  ...over,
});
const push = (stream: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${key}` }) =>
  t.app.inject({ method: 'POST', url: `/ingest/v1/${stream}`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

describe('push API', () => {
  it('stores a push once even when the same request (Idempotency-Key) is sent twice', async () => {
    const body = [capacity({ observedAt: '2022-08-01T07:00:00+07:00' }), capacity({ observedAt: '2022-08-02T07:00:00+07:00' })];
    const first = await push('capacity', body, { authorization: `Bearer ${key}`, 'idempotency-key': 'batch-0801' });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ accepted: 2, refused: 0, source: 'bv-a' });
    const again = await push('capacity', body, { 'x-api-key': key, 'idempotency-key': 'batch-0801' });
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().items.map((i: { id: string }) => i.id)).toEqual(first.json().items.map((i: { id: string }) => i.id));
    expect(await t.count("SELECT count() FROM capacity_raw WHERE entity = 'f-a' AND toDate(observed_at) IN ('2022-08-01', '2022-08-02') AND source = 'bv-a'")).toBe(2);
    // the same key with another body is a client bug, not a retry
    const other = await push('capacity', [capacity()], { authorization: `Bearer ${key}`, 'idempotency-key': 'batch-0801' });
    expect(other.statusCode).toBe(422);
    // an event resent with its own id (no Idempotency-Key) is not stored twice either
    const withId = capacity({ id: '01913c7e-8f00-7000-8000-00000000abcd', observedAt: '2022-08-03T07:00:00+07:00' });
    expect((await push('capacity', withId)).statusCode).toBe(202);
    const resent = await push('capacity', withId);
    expect(resent.json().items[0]).toMatchObject({ status: 'accepted', duplicate: true });
    expect(await t.count("SELECT count() FROM capacity_raw WHERE id = '01913c7e-8f00-7000-8000-00000000abcd'")).toBe(1);
    // the same id with other numbers is no resend: refused naming the id, not "accepted" and dropped
    const changed = capacity({ id: '01913C7E-8F00-7000-8000-00000000ABCD', observedAt: '2022-08-03T07:00:00+07:00' }, { bedsOccupied: 150 });
    const conflict = await push('capacity', [changed, capacity({ observedAt: '2022-08-03T08:00:00+07:00' })]);
    expect(conflict.statusCode).toBe(207);
    expect(conflict.json()).toMatchObject({ accepted: 1, refused: 1 });
    expect(conflict.json().items[0]).toMatchObject({ status: 'refused', field: '0.id' });
    expect(conflict.json().items[0].reason).toMatch(/already stored with other content/);
    expect(await t.count("SELECT count() FROM capacity_raw WHERE id = '01913c7e-8f00-7000-8000-00000000abcd' AND beds_occupied = 120")).toBe(1);
    // two requests at the same instant, one id, other content: one is stored, the other is refused, never both answered accepted
    const race = capacity({ id: '01913c7e-8f00-7000-8000-00000000beef', observedAt: '2022-08-03T09:00:00+07:00' });
    const [a, b] = await Promise.all([push('capacity', race), push('capacity', { ...race, payload: { ...race.payload, bedsOccupied: 99 } })]);
    expect([a.json().items[0].status, b.json().items[0].status].sort()).toEqual(['accepted', 'refused']);
    expect(await t.count("SELECT count() FROM capacity_raw WHERE id = '01913c7e-8f00-7000-8000-00000000beef'")).toBe(1);
    // the one answered accepted is the one stored
    expect(await t.count("SELECT beds_occupied FROM capacity_raw WHERE id = '01913c7e-8f00-7000-8000-00000000beef'")).toBe(a.json().items[0].status === 'accepted' ? 120 : 99);
    // one id twice in one request: an identical copy is a duplicate, another content is refused naming the second item
    const twice = capacity({ id: '01913c7e-8f00-7000-8000-00000000cafe', observedAt: '2022-08-03T10:00:00+07:00' });
    const both = await push('capacity', [twice, { ...twice, payload: { ...twice.payload, bedsOccupied: 77 } }, JSON.parse(JSON.stringify(twice))]);
    expect(both.statusCode, both.body).toBe(207);
    expect(both.json().items.map((i: { status: string; field?: string; duplicate?: boolean }) => [i.status, i.field ?? i.duplicate ?? null])).toEqual([['accepted', null], ['refused', '1.id'], ['accepted', true]]);
    expect(await t.count("SELECT count() FROM capacity_raw WHERE id = '01913c7e-8f00-7000-8000-00000000cafe' AND beds_occupied = 120")).toBe(1);
    // and the same id in upper case with the same content is the resend it is
    expect((await push('capacity', { ...withId, id: '01913C7E-8F00-7000-8000-00000000ABCD' })).json().items[0]).toMatchObject({ status: 'accepted', duplicate: true });
  });

  it('refuses each bad item with its field and reason and stores the good ones beside it', async () => {
    const items = [
      capacity({ observedAt: '2022-08-05T07:00:00+07:00' }),
      capacity({ observedAt: '2022-08-05T08:00:00+07:00' }, { bedsOccupied: '120' }),
      capacity({ observedAt: '2022-08-05T09:00:00+07:00' }, { bedsOccupied: 300 }),
      capacity({ observedAt: '15/08/2022' }),
      capacity({ observedAt: '2022-08-05T10:00:00+07:00', source: 'someone-else' }),
      capacity({ observedAt: '2022-08-05T11:00:00+07:00', colour: 'red' }),
      'not an object',
    ];
    const res = await push('capacity', items);
    expect(res.statusCode).toBe(207);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 1, refused: 6 });
    expect(body.items.map((i: { status: string; field?: string }) => `${i.status}:${i.field ?? ''}`)).toEqual([
      'accepted:',
      'refused:payload.bedsOccupied',
      'refused:payload.bedsOccupied',
      'refused:observedAt',
      'refused:source',
      'refused:(event)',
      'refused:(event)',
    ]);
    expect(body.items[2].reason).toMatch(/must not exceed bedsTotal/);
    expect(body.items[5].reason).toMatch(/colour/);
    expect(await t.count("SELECT count() FROM capacity_raw WHERE toDate(observed_at) = '2022-08-05'")).toBe(1);
    const none = await push('capacity', [capacity({ observedAt: 'yesterday' })]);
    expect(none.statusCode).toBe(422);
  });

  it('refuses a price of a commodity the city pack does not list, naming the field and the ones it does, and stores the known one beside it', async () => {
    const price = (commodity: string) => ({ entity: 'm-1', observedAt: '2022-08-16T07:00:00+07:00', payload: { commodity, unit: 'kg', priceVnd: 95_000 } });
    const res = await push('prices', [price('pork'), price('sugar')]);
    expect(res.statusCode).toBe(207);
    expect(res.json().items[1]).toEqual({ index: 1, status: 'refused', field: 'payload.commodity', reason: 'unknown commodity "sugar": the city pack lists pork (Thịt heo)' });
    expect(await t.count("SELECT count() FROM prices_raw WHERE source = 'bv-a' AND toDate(observed_at) = '2022-08-16'")).toBe(1);
  });

  it('after an evaluator\'s raw export, new reports with the source\'s own ids are still accepted, and resends are duplicates (the attacker\'s F1)', async () => {
    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/export/raw/prices?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&lang=en&dialect=rfc4180&format=csv', headers: { cookie: t.admin } });
    expect(exported.statusCode, exported.body.slice(0, 300)).toBe(200);
    const report = (i: number) => ({ id: `0191abcd-0000-7000-8000-${String(i).padStart(12, '0')}`, entity: 'm-1', observedAt: `2022-08-17T07:${String(i).padStart(2, '0')}:00+07:00`, payload: { commodity: 'pork', unit: 'kg', priceVnd: 95_000 + i } });
    for (let i = 0; i < 8; i++) {
      const res = await push('prices', [report(i)]);
      expect(res.statusCode, res.body).toBe(202);
      // the export once again between them, as evaluators work beside the sources
      if (i % 3 === 0) await t.app.inject({ method: 'GET', url: '/api/v1/export/raw/prices?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&lang=en&dialect=rfc4180&format=csv', headers: { cookie: t.admin } });
    }
    const again = await Promise.all(Array.from({ length: 8 }, (_, i) => push('prices', [report(i)])));
    expect(again.map((r) => [r.statusCode, r.json().items[0].duplicate])).toEqual(Array.from({ length: 8 }, () => [202, true]));
    expect(await t.count("SELECT count() FROM prices_raw WHERE source = 'bv-a' AND toDate(observed_at) = '2022-08-17'")).toBe(8);
  });

  it('refuses what the columns cannot hold and explicit wrong values, naming the field, and stores the edges', async () => {
    const day = (d: number) => `2022-08-2${d}T07:00:00+07:00`;
    const items = [
      capacity({ observedAt: day(0) }, { bedsTotal: 4294967496 }),
      capacity({ observedAt: day(0) }, { oxygenStockLitres: 1e300 }),
      capacity({ observedAt: day(0) }, { oxygenStockLitres: 2 ** 60 }),
      capacity({ observedAt: '2999-01-01T00:00:00Z' }),
      capacity({ observedAt: '1969-12-31T23:59:59Z' }),
      capacity({ observedAt: day(1), id: null }),
      capacity({ observedAt: day(1), version: null }),
      capacity({ observedAt: day(1), receivedAt: '' }),
      capacity({ observedAt: day(1), receivedAt: 42 }),
      capacity({ observedAt: day(1), receivedAt: '25/11/2026' }),
      capacity({ observedAt: day(1), receivedAt: '2022-08-21T07:00:00+07:00' }),
      // the edges of what the store holds are stored
      capacity({ observedAt: '1970-01-01T00:00:00Z' }, { bedsTotal: 4294967295, bedsOccupied: 4294967295, oxygenStockLitres: 1e9 }),
      capacity({ observedAt: '2106-02-07T06:28:15Z' }),
    ];
    const res = await push('capacity', items);
    expect(res.statusCode).toBe(207);
    const body = res.json();
    expect(body.items.map((i: { status: string; field?: string }) => `${i.status}:${i.field ?? ''}`)).toEqual([
      'refused:payload.bedsTotal',
      'refused:payload.oxygenStockLitres',
      'refused:payload.oxygenStockLitres',
      'refused:observedAt',
      'refused:observedAt',
      'refused:id',
      'refused:version',
      'refused:receivedAt',
      'refused:receivedAt',
      'refused:receivedAt',
      'refused:receivedAt',
      'accepted:',
      'accepted:',
    ]);
    expect(body.items[0].reason).toMatch(/at most 4,294,967,295/);
    expect(body.items[3].reason).toMatch(/between 1970-01-01T00:00:00Z and 2106-02-07T06:28:15Z/);
    expect(body.items[7].reason).toMatch(/set by the server/);
    expect(await t.count("SELECT count() FROM capacity_raw WHERE toDate(observed_at) IN ('2022-08-20', '2022-08-21')")).toBe(0);
    const edges = await (await t.store.client.query({ query: "SELECT toString(observed_at) t, beds_total b, oxygen_stock_litres o FROM capacity_raw WHERE toYear(observed_at) IN (1970, 2106) ORDER BY observed_at", format: 'JSONEachRow' })).json<Record<string, unknown>>();
    expect(edges).toEqual([
      { t: '1970-01-01 00:00:00.000', b: 4294967295, o: 1e9 },
      { t: '2106-02-07 06:28:15.000', b: 200, o: 120000 },
    ]);
    // the current-state view (UInt32 seconds) took both without refusing the insert
    expect(await t.count("SELECT count() FROM capacity_latest FINAL WHERE entity = 'f-a' AND toYear(observed_at) = 2106")).toBe(1);
  });

  it('refuses a missing or wrong key, another stream and another entity, storing nothing', async () => {
    const one = capacity({ observedAt: '2022-08-06T07:00:00+07:00' });
    expect((await push('capacity', one, {})).statusCode).toBe(401);
    expect((await push('capacity', one, { authorization: `Bearer hd_0123456789abcdef_${'x'.repeat(43)}` })).statusCode).toBe(401);
    expect((await push('capacity', one, { authorization: `Bearer ${key}x` })).statusCode).toBe(401);
    const forbiddenEntity = await push('capacity', [one, capacity({ entity: 'f-b', observedAt: '2022-08-06T08:00:00+07:00' })]);
    expect(forbiddenEntity.statusCode).toBe(403);
    expect(forbiddenEntity.json().errors[0]).toMatchObject({ field: '1.entity' });
    expect((await push('vaccination', { entity: 'w1', observedAt: '2022-08-06T07:00:00+07:00', payload: { doseNumber: 1, vaccine: 'Pfizer', ageGroup: '18-49', doses: 3 } })).statusCode).toBe(403);
    expect((await push('weather', one)).statusCode).toBe(404);
    expect(await t.count("SELECT count() FROM capacity_raw WHERE toDate(observed_at) = '2022-08-06'")).toBe(0);
    // a revoked key stops working at once
    const other = await t.keyFor('bv-a', ['capacity'], ['f-a']);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/sources/keys', headers: { cookie: t.admin } });
    const id = list.json().keys.find((k: { keyId: string }) => other.includes(k.keyId)).keyId;
    expect(JSON.stringify(list.json())).not.toContain(other);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/sources/keys/${id}`, headers: { cookie: t.admin } })).statusCode).toBe(200);
    expect((await push('capacity', one, { authorization: `Bearer ${other}` })).statusCode).toBe(401);
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=50', headers: { cookie: t.admin } });
    expect(audit.body).toContain('source-key-revoke');
  });

  it('refuses too many items and too many decoded bytes with 413', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => capacity({ observedAt: new Date(Date.UTC(2022, 6, 1, 0, i)).toISOString() }));
    expect((await push('capacity', many)).statusCode).toBe(413);
    // 3 MB of JSON gzipped to a few kilobytes is still 3 MB
    const padded = JSON.stringify([capacity({ note: 'x'.repeat(3_000_000) })]);
    const res = await t.app.inject({ method: 'POST', url: '/ingest/v1/capacity', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${key}` }, payload: gzipSync(padded) });
    expect(res.statusCode).toBe(413);
    // and gzip of an ordinary push works
    const ok = await t.app.inject({ method: 'POST', url: '/ingest/v1/prices', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${key}` }, payload: gzipSync(JSON.stringify({ entity: 'm-1', observedAt: '2022-08-07T07:00:00+07:00', payload: { commodity: 'pork', unit: 'kg', priceVnd: 95000 } })) });
    expect(ok.statusCode).toBe(202);
    expect(await t.count("SELECT count() FROM capacity_raw WHERE toYYYYMM(observed_at) = 202207")).toBe(0);
  });

  it('lets only an admin manage keys', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/sources/keys', payload: { source: 'x', streams: ['capacity'], entities: ['f-a'] } });
    expect(anon.statusCode).toBe(401);
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/sources/keys', headers: { cookie: t.admin }, payload: { source: 'x', streams: ['capacity'], entities: ['no-such-facility'] } });
    expect(unknown.statusCode).toBe(400);
  });
});
