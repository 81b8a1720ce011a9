import pino from 'pino';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { migrate, Processor, TopicNames } from '@haidang/stream';
import { buildServer } from '../api/src/server.ts';
import { ingestRoutes } from '../ingest/src/index.ts';
import { tempStore } from '../stream/test/fixtures/temp-store.ts';
import { kafkaClient, scenario, waitForLagZero } from './setup/processes.ts';

const brokers = inject('kafkaBrokers');
const logger = pino({ level: 'silent' });

const s = scenario('ingest-push');
const kafka = kafkaClient(brokers);
const topics = new TopicNames(s.prefix);
let store: Awaited<ReturnType<typeof tempStore>>;
let processor: Processor;
let app: Awaited<ReturnType<typeof buildServer>>;
let key: string;

beforeAll(async () => {
  await kafka.ensureTopics(topics.all(), 4);
  store = await tempStore();
  await migrate(store.client);
  processor = new Processor({ transport: kafka, store: store.client, logger, topics, groupId: s.group });
  await processor.start();
  app = await buildServer({ store: store.client, processor, transport: kafka, topics, logger, auth: { adminPassword: 'kafka-admin-password-1', sessionSecret: 'y'.repeat(48), sessionHours: 1, cookieSecure: false }, parts: [ingestRoutes()] });
  await app.start();
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'kafka-admin-password-1' } });
  const c = login.cookies.find((k) => k.name === 'haidang_session')!;
  const created = await app.inject({ method: 'POST', url: '/api/v1/sources/keys', headers: { cookie: `${c.name}=${c.value}` }, payload: { source: 'tram-y-te-p1', streams: ['vaccination'], entities: ['26506', '26509'] } });
  key = created.json().key as string;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await processor?.stop();
  await kafka.close();
  await store?.close();
});

const rowsOf = async <T>(query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<T>();

it('pushes over a real Kafka broker: durable reply, a retried request stored once, bad items refused beside good ones', async () => {
  const items = Array.from({ length: 200 }, (_, i) => ({ entity: i % 2 ? '26506' : '26509', observedAt: new Date(Date.UTC(2022, 7, 1) + i * 3_600_000).toISOString(), payload: { doseNumber: 3, vaccine: 'Pfizer', ageGroup: '18-49', doses: i } }));
  items.push({ entity: '26506', observedAt: '2022-08-01T00:00:00Z', payload: { doseNumber: 9, vaccine: 'Pfizer', ageGroup: '18-49', doses: 1 } });
  const send = () => app.inject({ method: 'POST', url: '/ingest/v1/vaccination', headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'p1-2022-08' }, payload: items });
  const first = await send();
  expect(first.statusCode).toBe(207);
  expect(first.json()).toMatchObject({ accepted: 200, refused: 1, items: expect.arrayContaining([{ index: 200, status: 'refused', field: 'payload.doseNumber', reason: expect.stringContaining('payload.doseNumber') }]) });
  const retry = await send();
  expect(retry.statusCode).toBe(207);
  await waitForLagZero(kafka, s.group, [topics.of('vaccination')]);
  const [row] = await rowsOf<{ n: string; u: string }>("SELECT count() n, uniqExact(id) u FROM vaccination_raw WHERE source = 'tram-y-te-p1' AND toYear(observed_at) = 2022");
  expect(Number(row!.n)).toBe(200);
  expect(Number(row!.u)).toBe(200);
}, 180_000);

it('two requests at the same instant with one id of the source\'s and other content: one is accepted and stored, the other refused naming the id, and nothing accepted is dead-lettered', async () => {
  const ids = Array.from({ length: 8 }, (_, i) => `0191dddd-0000-7000-8000-${String(i).padStart(12, '0')}`);
  const report = (id: string, doses: number) => ({ id, entity: '26506', observedAt: '2023-01-02T07:00:00+07:00', payload: { doseNumber: 1, vaccine: 'Pfizer', ageGroup: '18-49', doses } });
  const push = (body: object[]) => app.inject({ method: 'POST', url: '/ingest/v1/vaccination', headers: { authorization: `Bearer ${key}` }, payload: body });
  const accepted = new Map<string, number>();
  for (const id of ids) {
    const answers = await Promise.all([push([report(id, 10)]), push([report(id, 20)])]);
    const oks = answers.flatMap((a, side) => (a.statusCode === 202 ? [side ? 20 : 10] : []));
    expect(oks, answers.map((a) => a.body).join('\n')).toHaveLength(1);
    accepted.set(id, oks[0]!);
    const refused = answers.find((a) => a.statusCode !== 202)!;
    expect(refused.statusCode).toBe(422);
    expect(refused.json().items[0]).toMatchObject({ status: 'refused', field: '0.id', reason: expect.stringContaining(id) });
  }
  await waitForLagZero(kafka, s.group, [topics.of('vaccination')]);
  const stored = await rowsOf<{ id: string; doses: number }>(`SELECT toString(id) id, doses FROM vaccination_raw WHERE id IN (${ids.map((i) => `'${i}'`).join(',')})`);
  expect(new Map(stored.map((r) => [r.id, Number(r.doses)]))).toEqual(accepted);
  const [dead] = await rowsOf<{ n: string }>(`SELECT count() n FROM deadletter WHERE lower(assumeNotNull(event_id)) IN (${ids.map((i) => `'${i}'`).join(',')})`);
  expect(Number(dead!.n)).toBe(0);
}, 180_000);
