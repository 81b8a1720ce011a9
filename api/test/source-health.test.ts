import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chTime, MemoryTransport, Processor, TopicNames, type AnyEvent } from '@haidang/stream';
import { capacity, price } from './fixtures/events.ts';
import { startTestApi, testLogger, type TestApi } from './fixtures/test-api.ts';

/**
 * Source health over a real processor: the api is given its own in-process log (replays are
 * published there) and a second processor stores that log into the same chDB store.
 */
const topics = new TopicNames('');
const transport = new MemoryTransport({ durableGroups: ['sh'], lingerMs: 0 });
let t: TestApi;
let processor: Processor;
let clock = Date.now();

beforeAll(async () => {
  await transport.ensureTopics(topics.all(), 2);
  t = await startTestApi({ transport, topics, sourceHealth: { now: () => new Date(clock) } });
  processor = new Processor({ transport, store: t.store.client, logger: testLogger, topics, groupId: 'sh' });
  await processor.start();
});
afterAll(async () => {
  await processor?.stop();
  await transport.close();
  await t?.close();
});

const publish = (events: Array<AnyEvent | Record<string, unknown> | string>) =>
  Promise.all(
    events.map((e) => {
      const value = typeof e === 'string' ? e : JSON.stringify(e);
      const stream = typeof e === 'string' ? 'prices' : (e.stream as AnyEvent['stream']);
      return transport.publish(topics.of(stream), [{ key: typeof e === 'string' ? 'm-1' : String(e.entity), value }]);
    }),
  );
const withSource = <E extends AnyEvent>(e: E, source: string): E => ({ ...e, source });

async function health(role: 'admin' | 'operator' = 'operator') {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/source-health', headers: { cookie: await t.cookieFor(role) } });
  expect(res.statusCode).toBe(200);
  return res.json<{ sources: Array<Record<string, any>> }>().sources;
}

describe('source health', () => {
  it('flags a source late after its cadence and silent after two (beds: hourly), and is for admins and operators only', async () => {
    clock = Date.now();
    await publish([withSource(capacity('f-a', new Date().toISOString(), { tier: 2, oxygenTotal: 10, oxygenOccupied: 5 }), 'poller:hospital-a')]);
    const source = async () => (await health()).find((s) => s.source === 'poller:hospital-a')!;
    expect(await source()).toMatchObject({ kind: 'poller', streams: ['capacity'], cadenceSeconds: 3600, status: 'ok', flags: { silent: false, late: false } });
    clock = Date.now() + 90 * 60_000;
    expect(await source()).toMatchObject({ status: 'late', flags: { late: true, silent: false } });
    clock = Date.now() + 3 * 3_600_000;
    const silent = await source();
    expect(silent).toMatchObject({ status: 'silent', flags: { silent: true } });
    expect(silent.ageSeconds).toBeGreaterThan(2 * 3600);

    const healthRole = await t.app.inject({ method: 'GET', url: '/api/v1/source-health', headers: { cookie: await t.cookieFor('health') } });
    expect(healthRole.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/source-health' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('a burst of bad rows raises the source reject share, flags a jump and names the reasons', async () => {
    clock = Date.now();
    const at = new Date().toISOString();
    await publish(Array.from({ length: 10 }, () => withSource(price('m-1', at, 'pork', 100_000), 'market-upload')));
    const before = (await health()).find((s) => s.source === 'market-upload')!;
    expect(before).toMatchObject({ rejectShare24h: 0, total: { received: 10, valid: 10, stored: 10, refused: 0 }, flags: { rejectJump: false } });

    const bad = Array.from({ length: 8 }, () => ({ ...withSource(price('m-1', at, 'pork', 100_000), 'market-upload'), payload: { commodity: 'pork', unit: 'kg', priceVnd: '100000' } }));
    const wrongVersion = Array.from({ length: 2 }, () => ({ ...withSource(price('m-1', at, 'pork', 100_000), 'market-upload'), version: 2 }));
    await publish([...bad, ...wrongVersion]);
    const after = (await health()).find((s) => s.source === 'market-upload')!;
    expect(after).toMatchObject({ total: { received: 20, valid: 10, stored: 10, refused: 10 }, rejectShare24h: 0.5, rejectShare1h: 0.5, flags: { rejectJump: true } });
    expect(after.topReasons).toEqual([
      { reason: 'HD_EVENT_INVALID', count: 8 },
      { reason: 'HD_EVENT_UNSUPPORTED_VERSION', count: 2 },
    ]);
    expect(after.eventsPerHour).toBeCloseTo(20 / 24, 2);
  });

  it('lists dead letters with their bytes decoded, for admins only', async () => {
    await publish(['{"this is": not json']);
    const admin = await t.cookieFor('admin');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/deadletters?reason=HD_EVENT_NOT_JSON&limit=5', headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    const [dl] = res.json<{ deadLetters: Array<Record<string, unknown>> }>().deadLetters;
    expect(dl).toMatchObject({ reason: 'HD_EVENT_NOT_JSON', source: null, raw: '{"this is": not json', rawIsText: true, topic: 'ioc.prices.v1' });
    const bySource = await t.app.inject({ method: 'GET', url: '/api/v1/deadletters?source=market-upload', headers: { cookie: admin } });
    expect(bySource.json<{ deadLetters: unknown[] }>().deadLetters).toHaveLength(10);
    const operator = await t.app.inject({ method: 'GET', url: '/api/v1/deadletters', headers: { cookie: await t.cookieFor('operator') } });
    expect(operator.statusCode).toBe(403);
  });
});

describe('dead-letter replay', () => {
  /** a dead letter as an earlier build left it: refused then, valid now (the cause was fixed) */
  async function deadLetterOf(event: Record<string, unknown>, reason = 'HD_EVENT_REJECTED_BY_STORE'): Promise<string> {
    const id = uuidv7();
    await t.store.client.insert({
      table: 'deadletter',
      format: 'JSONEachRow',
      values: [{ id, topic: topics.of('prices'), log_partition: 0, log_offset: 900_000 + Math.floor(Math.random() * 1e5), key: String(event.entity), reason, field: '(event)', message: 'refused then', event_id: String(event.id), source: String(event.source), raw: Buffer.from(JSON.stringify(event)).toString('base64'), dead_at: chTime(new Date()) }],
      clickhouse_settings: { insert_deduplication_token: `test-dead-letter-${id}` },
    });
    return id;
  }
  const storedCount = async (eventId: string) => {
    const rs = await t.store.client.query({ query: `SELECT count() AS n FROM prices_raw WHERE toString(id) = {id:String}`, query_params: { id: eventId }, format: 'JSONEachRow' });
    return Number((await rs.json<{ n: string }>())[0]!.n);
  };
  const replay = async (ids: string[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/deadletters/replay', headers: { cookie: await t.cookieFor('admin') }, payload: { ids } });
    expect(res.statusCode).toBe(200);
    return res.json<{ results: Array<{ id: string; outcome: string }> }>().results;
  };

  it('stores a fixed dead letter once, however often it is replayed; a still-invalid one is dead-lettered again; audit-logged', async () => {
    const fixed = withSource(price('m-2', new Date().toISOString(), 'pork', 120_000), 'replay-test');
    const fixedDl = await deadLetterOf(fixed);
    const still = { ...withSource(price('m-2', new Date().toISOString(), 'pork', 1), 'replay-test'), payload: { commodity: 'pork', unit: 'kg', priceVnd: -5 } };
    const stillDl = await deadLetterOf(still, 'HD_EVENT_INVALID');

    expect(await replay([fixedDl, stillDl, '01900000-0000-7000-8000-000000000000'])).toEqual([
      { id: fixedDl, outcome: 'republished', eventId: fixed.id },
      { id: stillDl, outcome: 'republished', eventId: still.id },
      { id: '01900000-0000-7000-8000-000000000000', outcome: 'not-found', eventId: null },
    ]);
    expect(await storedCount(fixed.id)).toBe(1);
    expect((await replay([fixedDl]))[0]!.outcome).toBe('already-stored');
    expect(await storedCount(fixed.id)).toBe(1);

    const again = await t.store.client.query({ query: `SELECT count() AS n FROM deadletter WHERE event_id = {id:String}`, query_params: { id: still.id }, format: 'JSONEachRow' });
    expect(Number((await again.json<{ n: string }>())[0]!.n)).toBe(2);
    expect(await storedCount(still.id)).toBe(0);

    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?action=deadletter-replay', headers: { cookie: await t.cookieFor('admin') } });
    const entries = audit.json<{ entries: Array<{ actor: string; detail: { ids: string[]; republished: number } }> }>().entries;
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.actor === 'admin')).toBe(true);
    expect(entries.flatMap((e) => e.detail.ids)).toContain(fixedDl);
  });

  it('refuses replay to operators', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/deadletters/replay', headers: { cookie: await t.cookieFor('operator') }, payload: { ids: [uuidv7()] } });
    expect(res.statusCode).toBe(403);
  });
});
