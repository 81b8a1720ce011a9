import type { Logger, StreamName, TopicNames, Transport } from '@haidang/stream';
import { defaultPackDir, loadCityPack, type CityPack } from '@haidang/city';
import { scenario, toMs } from './generate.ts';
import { addCounts, publishByTopic } from './publish-by-topic.ts';
import type { DataEvent } from './sim-event.ts';

export interface SimulatorOptions {
  transport: Transport;
  topics: TopicNames;
  logger: Logger;
  /** most events per second across all streams; a burst above it is spread out, and the simulation falls behind */
  rate: number;
  seed: number;
  /** the city to simulate; default: the pack in `defaultPackDir` (Vũng Tàu) */
  pack?: CityPack;
  /** simulated seconds per wall-clock second: 1 = real time … 1000 (30 days in 43 minutes); default 1 */
  speed?: number;
  /** simulated start; default: now, rounded down to a step */
  start?: Date | string | number;
  /** simulated end; default: 30 days after start */
  end?: Date | string | number;
  /** default 15 */
  stepMinutes?: number;
  shockCommodity?: string;
}

export interface SimulatorHandle {
  /** events published so far */
  readonly published: () => number;
  /** settles when the window has been published, or after stop(); rejects if publishing failed */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const defaultWindowDays = 30;
const tickMs = 200;
const progressEveryMs = 10_000;

/**
 * Publishes the simulated city live: simulated time runs at `speed` times the wall clock from
 * `start`, and each event is published once simulated time reaches its `receivedAt` (when the
 * city would have reported it), grouped by topic and keyed by entity. The events are exactly
 * those of generateEvents with the same options, so a live run can be replayed or backtested.
 */
export function startSimulator(o: SimulatorOptions): SimulatorHandle {
  const speed = o.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number (1 = real time), got ${speed}`);
  if (!(o.rate > 0)) throw new RangeError(`rate must be a positive number of events per second, got ${o.rate}`);
  const stepMinutes = o.stepMinutes ?? 15;
  const stepMs = stepMinutes * 60_000;
  const startMs = o.start === undefined ? Math.floor(Date.now() / stepMs) * stepMs : toMs(o.start, 'start');
  const end = o.end ?? startMs + defaultWindowDays * 86_400_000;
  const log = o.logger.child({ component: 'simulator' });

  let published = 0;
  let running = true;
  let wake: () => void = () => {};

  const loop = async () => {
    const pack = o.pack ?? (await loadCityPack(defaultPackDir));
    const sc = scenario(pack, { seed: o.seed, start: startMs, end, stepMinutes, shockCommodity: o.shockCommodity });
    const steps = sc.run();
    log.info({ pack: pack.manifest.id, seed: o.seed, start: new Date(sc.startMs).toISOString(), end: new Date(sc.endMs).toISOString(), steps: sc.steps, speed, rate: o.rate, shockCommodity: sc.shockCommodity }, 'simulator started');

    const wallStart = Date.now();
    // a start in the past is history: everything received before now is due at once (rate-capped),
    // then the clock runs live at `speed`
    const simNow = () => Math.max(sc.startMs + (Date.now() - wallStart) * speed, Math.min(Date.now(), sc.endMs));
    let nextStepMs = sc.startMs + sc.stepMs;
    let exhausted = false;
    let pending: DataEvent[] = [];
    let tokens = o.rate;
    let lastTick = Date.now();
    let lastProgress = Date.now();
    const byStream = new Map<StreamName, number>();

    while (running) {
      const now = simNow();
      // generate lazily: a step's events are never received before the step ends
      let pulled = false;
      while (!exhausted && nextStepMs <= now) {
        const r = steps.next();
        if (r.done) exhausted = true;
        else {
          pending.push(...r.value);
          pulled = true;
          nextStepMs += sc.stepMs;
        }
      }
      if (nextStepMs > sc.endMs) exhausted = true;
      if (pulled) pending.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));

      // token bucket: at most `rate` a second, bursts up to one second's worth (at least one
      // event, or a rate below 1/s would never publish)
      const wall = Date.now();
      tokens = Math.min(Math.max(1, o.rate), tokens + ((wall - lastTick) / 1000) * o.rate);
      lastTick = wall;
      const nowIso = new Date(now).toISOString();
      let due = 0;
      while (due < pending.length && due < Math.floor(tokens) && pending[due]!.receivedAt <= nowIso) due++;
      if (due > 0) {
        const batch = pending.slice(0, due);
        pending = pending.slice(due);
        addCounts(byStream, await publishByTopic(o.transport, o.topics, batch));
        published += batch.length;
        tokens -= batch.length;
      }

      if (wall - lastProgress >= progressEveryMs) {
        lastProgress = wall;
        const behindMs = pending.length && pending[0]!.receivedAt < nowIso ? now - Date.parse(pending[0]!.receivedAt) : 0;
        log.info({ simTime: nowIso, published, byStream: Object.fromEntries(byStream), pending: pending.length, behindSimSeconds: Math.round(behindMs / 1000) }, 'simulator progress');
      }
      if (exhausted && pending.length === 0) {
        log.info({ published, byStream: Object.fromEntries(byStream) }, 'simulator finished its window');
        return;
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, tickMs);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  };

  const done = loop().catch((e: unknown) => {
    log.error({ err: e }, 'simulator stopped on an error');
    throw e;
  });
  // a caller that only stop()s must not see an unhandled rejection
  done.catch(() => {});
  return {
    published: () => published,
    done,
    stop: async () => {
      running = false;
      wake();
      await done.catch(() => {});
    },
  };
}
