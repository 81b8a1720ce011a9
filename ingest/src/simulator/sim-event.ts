import type { DataStreamName, EventOf } from '@haidang/stream';
import type { LocalTime } from './local-time.ts';

/** An event of one of the four data streams, as the simulator emits it. */
export type DataEvent = { [S in DataStreamName]: EventOf<S> }[DataStreamName];

/** What a model reports at one step: the envelope (id, times, source) is added by the generator. */
export type Reading = { [S in DataStreamName]: { stream: S; entity: string; payload: EventOf<S>['payload'] } }[DataStreamName];

/** One tick of simulated time, handed to every model. */
export interface Step {
  /** end of the step, epoch ms: readings are "as of" this instant */
  t: number;
  stepMinutes: number;
  /** 0 at the window's start, 1 at its end: scenarios are shaped on this */
  progress: number;
  local: LocalTime;
}

/** A piece of the simulated city: keeps its own state, reports at each step. */
export interface Model {
  step(s: Step): Reading[];
}

/** a bell-shaped wave over the window's progress, 1 at `peak` */
export function wave(progress: number, peak: number, width: number): number {
  return Math.exp(-(((progress - peak) / width) ** 2));
}

export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
