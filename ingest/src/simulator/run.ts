import { randomUUID } from 'node:crypto';
import type { Logger, TopicNames, Transport } from '@haidang/stream';

export interface SimulatorOptions {
  transport: Transport;
  topics: TopicNames;
  logger: Logger;
  /** events per second across all streams */
  rate: number;
  seed: number;
}

export interface SimulatorHandle {
  /** events published so far */
  readonly published: () => number;
  stop(): Promise<void>;
}

/** Placeholder generator (the full city-pack simulator replaces it): capacity reports for a few facilities. */
export function startSimulator(o: SimulatorOptions): SimulatorHandle {
  let n = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const now = new Date().toISOString();
      const events = Array.from({ length: Math.max(1, o.rate) }, (_, i) => ({
        key: `facility-${i % 5}`,
        value: JSON.stringify({
          id: randomUUID(), version: 1, stream: 'capacity', source: 'simulator', entity: `facility-${i % 5}`, observedAt: now, receivedAt: now,
          payload: { tier: 2, bedsTotal: 100, bedsOccupied: 50, oxygenBedsTotal: 40, oxygenBedsOccupied: 20, patientsBySupport: { mask: 10, hfnc: 5, niv: 3, invasive: 2, ecmo: 0 }, icuBedsTotal: 10, icuBedsOccupied: 5, ventilatorsTotal: 8, ventilatorsInUse: 2, oxygenStockLitres: 10000 },
        }),
      }));
      await o.transport.publish(o.topics.of('capacity'), events);
      n += events.length;
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return { published: () => n, stop: async () => { running = false; await loop.catch(() => {}); } };
}
