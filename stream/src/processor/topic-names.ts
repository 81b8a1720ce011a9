import { deadLetterTopic, streams, type StreamName } from '../contracts/registry.ts';

/**
 * Topic names with an optional prefix (tests give each run its own topics on a shared broker;
 * a city can run several packs on one cluster). Streams are found back from topics here only.
 */
export class TopicNames {
  constructor(readonly prefix = '') {}
  of(stream: StreamName): string {
    return this.prefix + streams[stream].topic;
  }
  get deadLetter(): string {
    return this.prefix + deadLetterTopic;
  }
  streamOf(topic: string): StreamName | undefined {
    if (!topic.startsWith(this.prefix)) return undefined;
    const bare = topic.slice(this.prefix.length);
    for (const [name, def] of Object.entries(streams)) if (def.topic === bare) return name as StreamName;
    return undefined;
  }
  all(): string[] {
    return [...(Object.keys(streams) as StreamName[]).map((s) => this.of(s)), this.deadLetter];
  }
}
