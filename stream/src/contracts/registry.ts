import type { z } from 'zod';
import type { StreamDescriptor } from '../streams/descriptor.ts';
import { descriptors } from '../streams/index.ts';

type Descriptors = typeof descriptors;
/** the name of a data stream, from the registry of descriptors */
export type StreamName = Descriptors[number]['name'];
/** the data streams the city reports: every stream is one (alerts are episodes of the api, no stream) */
export type DataStreamName = StreamName;
export type DescriptorOf<S extends StreamName> = Extract<Descriptors[number], { name: S }>;

/**
 * Each stream's topic, event schema, key and version, by name, from its descriptor.
 * Producers outside Hải Đăng follow docs/contracts.md, which is checked against this table.
 */
export const streams = Object.fromEntries(descriptors.map((d) => [d.name, { ...d, schema: d.event, key: d.entity.key }])) as unknown as {
  [S in StreamName]: DescriptorOf<S> & { schema: DescriptorOf<S>['event']; key: string };
};

/** the names of the data streams, in the registry's order */
export const dataStreams = descriptors.map((d) => d.name) as unknown as readonly [StreamName, ...StreamName[]];
export const deadLetterTopic = 'ioc.deadletter.v1';

export type EventOf<S extends StreamName> = z.infer<DescriptorOf<S>['event']>;
export type AnyEvent = { [S in StreamName]: EventOf<S> }[StreamName];

/** the descriptor of a stream */
export function descriptorOf<S extends StreamName>(name: S): DescriptorOf<S> {
  return streams[name] as DescriptorOf<S>;
}

/** every descriptor, widened (for loops that treat streams alike) */
export const allDescriptors: readonly StreamDescriptor[] = descriptors as unknown as readonly StreamDescriptor[];

export function isStreamName(s: string): s is StreamName {
  return Object.hasOwn(streams, s);
}

/** Every topic Hải Đăng creates, the dead-letter topic included. */
export function allTopics(): string[] {
  return [...descriptors.map((d) => d.topic), deadLetterTopic];
}
