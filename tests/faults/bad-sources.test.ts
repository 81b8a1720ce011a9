import { beforeAll, describe, expect, inject, it } from 'vitest';
import { maxEventBytes } from '@haidang/stream';
import { v7 as uuidv7 } from 'uuid';
import { capacityJson, validBatch } from '../fixtures.ts';
import { waitForLagZero } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, faultSuite, opsUrl, startWorker, stopCleanly, type StoreProcess } from './cluster.ts';

/**
 * Sources misbehave: a flood of malformed and oversized events mixed into good ones, and
 * sources that send the same events again (same ids, new offsets). The good events are
 * stored exactly once where KPIs read them, every bad one is dead-lettered with its
 * reason, and the worker keeps running.
 */
const suite = faultSuite(inject('kafkaBrokers'));
let store: StoreProcess;
beforeAll(async () => {
  store = await suite.store('bad-sources');
});

/** one malformed event of each kind, `i` making it unique */
const malformed = {
  HD_EVENT_NOT_JSON: (i: number) => `{"id": "${i}", oops`,
  HD_EVENT_INVALID: (i: number) => capacityJson(`facility-${i % 17}`, i).replace('"bedsOccupied":', '"bedsOccupied":-'),
  HD_EVENT_UNSUPPORTED_VERSION: (i: number) => capacityJson(`facility-${i % 17}`, i).replace('"version":1', '"version":99'),
  HD_EVENT_WRONG_TOPIC: (i: number) => capacityJson(`facility-${i % 17}`, i).replace('"stream":"capacity"', '"stream":"prices"'),
  // valid in every field but one, and larger than any report should be
  HD_EVENT_TOO_LARGE: (i: number) => capacityJson(`facility-${i % 17}`, i).replace('"source":"test-producer"', `"source":"${'x'.repeat(maxEventBytes)}"`),
} as const;
type Reason = keyof typeof malformed;

describe('misbehaving sources', () => {
  it('a flood of malformed and oversized events among good ones', async () => {
    const valid = 10_000;
    const perKind: Record<Reason, number> = { HD_EVENT_NOT_JSON: 1_000, HD_EVENT_INVALID: 1_000, HD_EVENT_UNSUPPORTED_VERSION: 500, HD_EVENT_WRONG_TOPIC: 500, HD_EVENT_TOO_LARGE: 40 };
    const s = await suite.scenario('flood');
    const worker = await startWorker(suite.brokers, s, store.url);
    const good = validBatch(valid);
    const bad = Object.entries(perKind).flatMap(([reason, count]) => Array.from({ length: count }, (_, i) => ({ key: `facility-${i % 17}`, value: malformed[reason as Reason](valid + i) })));
    // interleave: every chunk holds good and bad events together
    const mixed = [...good];
    bad.forEach((m, i) => mixed.splice(Math.floor(((i + 1) * mixed.length) / (bad.length + 1)), 0, m));
    await suite.kafka.publish(s.capacity, mixed);
    await waitForLagZero(suite.kafka, s.group, [s.capacity]);
    await expectExactlyOnce(store.client, { scenario: 'flood of malformed and oversized events', sent: mixed.length, valid, deadReasons: perKind });
    // the dead letters keep the original bytes, so a fixed source can resend them
    const rs = await store.client.query({ query: `SELECT raw FROM deadletter WHERE reason = 'HD_EVENT_NOT_JSON' LIMIT 1`, format: 'JSONEachRow' });
    expect(Buffer.from((await rs.json<{ raw: string }>())[0]!.raw, 'base64').toString()).toMatch(/^\{"id": "\d+", oops$/);
    await expectAlive(worker, store.service);
    await stopCleanly(worker);
    await store.client.command({ query: 'TRUNCATE TABLE deadletter' });
  });

  it('sources that resend the same events (same ids): each stored once, in raw as everywhere', async () => {
    const n = 10_000;
    const resent = 4_000;
    const s = await suite.scenario('resend');
    const worker = await startWorker(suite.brokers, s, store.url);
    // the store is shared with the flood case: start from empty capacity tables
    await store.client.command({ query: 'TRUNCATE TABLE capacity_raw' });
    await store.client.command({ query: 'TRUNCATE TABLE capacity_asof' });
    const events = Array.from({ length: n }, (_, i) => ({ key: `facility-${i % 17}`, value: capacityJson(`facility-${i % 17}`, i, uuidv7()) }));
    await suite.kafka.publish(s.capacity, events);
    // the source retries its last 4,000 reports twice, in a different order
    await suite.kafka.publish(s.capacity, events.slice(-resent).reverse());
    await suite.kafka.publish(s.capacity, events.slice(-resent));
    await waitForLagZero(suite.kafka, s.group, [s.capacity]);
    const figures = await expectExactlyOnce(store.client, { scenario: 'sources resend the same ids', sent: n + 2 * resent, valid: n });
    // raw history, raw exports and counts see each report once; the as-of table, which KPIs read, too
    expect(figures.duplicates).toBe(0);
    const asof = await store.client.query({ query: 'SELECT count() AS n FROM capacity_asof FINAL', format: 'JSONEachRow' });
    expect(Number((await asof.json<{ n: string }>())[0]!.n)).toBe(n);
    // the worker counted the resends as duplicates
    const metrics = await (await fetch(`${opsUrl(worker)}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`haidang_already_stored_total\\{[^}]*\\} ${2 * resent}\\b`));
    await expectAlive(worker, store.service);
    await stopCleanly(worker);
  });
});
