import type { z } from 'zod';
import { alertEvent } from './alert.ts';
import { capacityEvent } from './capacity.ts';
import { dossierEvent } from './dossiers.ts';
import { priceEvent } from './prices.ts';
import { vaccinationEvent } from './vaccination.ts';

/**
 * The one registry of streams: topic name, key, schema and the current schema version.
 * Producers outside Hải Đăng follow docs/contracts.md, which is checked against this table.
 */
export const streams = {
  capacity: { topic: 'ioc.capacity.v1', schema: capacityEvent, key: 'facility id', version: 1 },
  vaccination: { topic: 'ioc.vaccination.v1', schema: vaccinationEvent, key: 'ward code', version: 1 },
  prices: { topic: 'ioc.prices.v1', schema: priceEvent, key: 'market id', version: 1 },
  dossiers: { topic: 'ioc.dossiers.v1', schema: dossierEvent, key: 'agency id', version: 1 },
  alerts: { topic: 'ioc.alerts.v1', schema: alertEvent, key: 'rule id + entity', version: 1 },
} as const;

export type StreamName = keyof typeof streams;
/** The four data streams the city reports (alerts are derived, not reported). */
export const dataStreams = ['capacity', 'vaccination', 'prices', 'dossiers'] as const satisfies readonly StreamName[];
export type DataStreamName = (typeof dataStreams)[number];
export const deadLetterTopic = 'ioc.deadletter.v1';

export type EventOf<S extends StreamName> = z.infer<(typeof streams)[S]['schema']>;
export type AnyEvent = { [S in StreamName]: EventOf<S> }[StreamName];

export function isStreamName(s: string): s is StreamName {
  return Object.hasOwn(streams, s);
}

export function streamOfTopic(topic: string): StreamName | undefined {
  for (const [name, def] of Object.entries(streams)) if (def.topic === topic) return name as StreamName;
  return undefined;
}

/** Every topic Hải Đăng creates, the dead-letter topic included. */
export function allTopics(): string[] {
  return [...Object.values(streams).map((s) => s.topic), deadLetterTopic];
}
