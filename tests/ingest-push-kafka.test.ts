import pino from 'pino';
import { expect, inject, it } from 'vitest';
import { migrate, Processor, TopicNames } from '@haidang/stream';
import { buildServer } from '../api/src/server.ts';
import { ingestRoutes } from '../ingest/src/index.ts';
import { tempStore } from '../stream/test/fixtures/temp-store.ts';
import { kafkaClient, scenario, waitForLagZero } from './setup/processes.ts';

const brokers = inject('kafkaBrokers');
const logger = pino({ level: 'silent' });

it('pushes over a real Kafka broker: durable reply, a retried request stored once, bad items refused beside good ones', async () => {
  const s = scenario('ingest-push');
  const kafka = kafkaClient(brokers);
  const topics = new TopicNames(s.prefix);
  await kafka.ensureTopics(topics.all(), 4);
  const store = await tempStore();
  await migrate(store.client);
  const processor = new Processor({ transport: kafka, store: store.client, logger, topics, groupId: s.group });
  await processor.start();
  const app = await buildServer({ store: store.client, processor, transport: kafka, topics, logger, auth: { adminPassword: 'kafka-admin-password-1', sessionSecret: 'y'.repeat(48), sessionHours: 1, cookieSecure: false }, parts: [ingestRoutes()] });
  try {
    await app.start();
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'kafka-admin-password-1' } });
    const c = login.cookies.find((k) => k.name === 'haidang_session')!;
    const created = await app.inject({ method: 'POST', url: '/api/v1/sources/keys', headers: { cookie: `${c.name}=${c.value}` }, payload: { source: 'tram-y-te-p1', streams: ['vaccination'], entities: ['26506', '26509'] } });
    const key = created.json().key as string;
    const items = Array.from({ length: 200 }, (_, i) => ({ entity: i % 2 ? '26506' : '26509', observedAt: new Date(Date.UTC(2022, 7, 1) + i * 3_600_000).toISOString(), payload: { doseNumber: 3, vaccine: 'Pfizer', ageGroup: '18-49', doses: i } }));
    items.push({ entity: '26506', observedAt: '2022-08-01T00:00:00Z', payload: { doseNumber: 9, vaccine: 'Pfizer', ageGroup: '18-49', doses: 1 } });
    const send = () => app.inject({ method: 'POST', url: '/ingest/v1/vaccination', headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'p1-2022-08' }, payload: items });
    const first = await send();
    expect(first.statusCode).toBe(207);
    expect(first.json()).toMatchObject({ accepted: 200, refused: 1, items: expect.arrayContaining([{ index: 200, status: 'refused', field: 'payload.doseNumber', reason: expect.stringContaining('payload.doseNumber') }]) });
    const retry = await send();
    expect(retry.statusCode).toBe(207);
    await waitForLagZero(kafka, s.group, [topics.of('vaccination')]);
    const rs = await store.client.query({ query: "SELECT count() n, uniqExact(id) u FROM vaccination_raw WHERE source = 'tram-y-te-p1'", format: 'JSONEachRow' });
    const [row] = await rs.json<{ n: string; u: string }>();
    expect(Number(row!.n)).toBe(200);
    expect(Number(row!.u)).toBe(200);
  } finally {
    await app.close();
    await processor.stop();
    await kafka.close();
    await store.close();
  }
}, 180_000);
