import type { StreamName } from '../contracts/registry.ts';
import { v7Millis } from './stored-ids.ts';
import { hexValue } from './uuid-text.ts';

/** ids a generation holds before it becomes the older one (two generations are kept) */
const generationIds = 1 << 18;
/** slots of a generation's table: twice its ids, so a probe ends within a few slots */
const slots = generationIds * 2;
const mask = slots - 1;

/** one generation: an open-addressing set of ids' last 48 bits (+1, so 0 means empty) */
class Generation {
  readonly keys = new Float64Array(slots);
  size = 0;
  /** the newest id time (Unix ms) added */
  newest = 0;

  has(key: number, slot: number): boolean {
    for (let i = slot; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return true;
      if (k === 0) return false;
    }
  }

  add(key: number, slot: number, ms: number): void {
    for (let i = slot; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return;
      if (k === 0) {
        this.keys[i] = key;
        this.size++;
        if (ms > this.newest) this.newest = ms;
        return;
      }
    }
  }
}

/**
 * The ids this process stored lately, so a chunk of new events needs no lookup in the store.
 * Only for a processor that is its store's one writer (the embedded mode: chDB in the process,
 * whose folder no other process can open): then an id the store holds was either stored
 * before this process asked the store for its newest id time (`floor` is at least its time),
 * or stored by this process since (kept here until its generation is dropped, which raises
 * `floor` past its time). So a UUIDv7 whose time is after `floor` and that is not kept here is
 * surely new. Every other id — not a UUIDv7, as old as `floor`, or kept here (a resend, a
 * redelivery, or the rare id that shares its last 48 bits with a kept one) — is looked up in
 * the store as before, which decides. Memory: two tables of 4 MiB per stream that has events.
 */
export class RecentIds {
  private readonly streams = new Map<StreamName, { floor: number; young: Generation; old: Generation | undefined }>();
  private readonly priming = new Map<StreamName, Promise<void>>();
  /** inserts told of while a stream was not yet known (a prime after a failed one can race them) */
  private readonly storedUnknown = new Map<StreamName, number>();
  /** bumped by `forget`: a prime that began before it cannot know what was written since */
  private epoch = 0;

  /** `newestIdMillis`: the newest id time (Unix ms) the store holds for a stream, 0 when none */
  constructor(private readonly newestIdMillis: (stream: StreamName) => Promise<number>) {}

  /**
   * Everything kept is dropped, and each stream asks the store again: for a writer that learnt
   * of a write it cannot read ids from (any other statement that may touch a stream's tables).
   */
  forget(): void {
    this.epoch++;
    this.streams.clear();
  }

  /** reads the stream's newest stored id time once; until it is known, every id is looked up */
  async prime(stream: StreamName): Promise<void> {
    if (this.streams.has(stream)) return;
    let p = this.priming.get(stream);
    if (!p) {
      p = (async () => {
        const before = this.storedUnknown.get(stream) ?? 0;
        const epoch = this.epoch;
        const floor = await this.newestIdMillis(stream);
        // an insert that ended while this read ran may be missing from it and is kept nowhere: read again next time
        if ((this.storedUnknown.get(stream) ?? 0) !== before || this.epoch !== epoch) return;
        this.streams.set(stream, { floor, young: new Generation(), old: undefined });
      })().finally(() => this.priming.delete(stream));
      this.priming.set(stream, p);
    }
    await p;
  }

  /** of these ids (any case; what is not a UUIDv7 goes back, to be checked by the caller), the ones the store must be asked about */
  toLookUp(stream: StreamName, ids: readonly string[]): string[] {
    const s = this.streams.get(stream);
    if (!s) return [...ids];
    const out: string[] = [];
    // an id newer than every id kept is not kept: no need to probe the tables (new events, mostly)
    const newest = Math.max(s.young.newest, s.old?.newest ?? 0);
    for (const id of ids) {
      const ms = v7Millis(id);
      const key = keyOf(id);
      // not a UUIDv7, or as old as what the store held: only the store knows
      if (ms === null || !(ms > s.floor) || !(key > 0)) {
        out.push(id);
        continue;
      }
      if (ms > newest) continue;
      const slot = key & mask;
      if (s.young.has(key, slot) || s.old?.has(key, slot)) out.push(id);
    }
    return out;
  }

  /** ids now stored, but for the rows at `except` */
  stored(stream: StreamName, ids: readonly string[], except?: ReadonlySet<number>): void {
    const s = this.streams.get(stream);
    if (!s) {
      this.storedUnknown.set(stream, (this.storedUnknown.get(stream) ?? 0) + 1);
      return;
    }
    for (let i = 0; i < ids.length; i++) {
      if (except?.has(i)) continue;
      const id = ids[i]!;
      const ms = v7Millis(id);
      const key = keyOf(id);
      if (ms === null || !(ms > s.floor) || !(key > 0)) continue;
      if (s.young.size >= generationIds) {
        // the older generation is forgotten: the store alone answers for ids as old as it held
        if (s.old && s.old.newest > s.floor) s.floor = s.old.newest;
        s.old = s.young;
        s.young = new Generation();
      }
      s.young.add(key, key & mask, ms);
    }
  }
}

/** an id's last 48 bits, + 1 (NaN for what is no UUID) */
const keyOf = (id: string) => (id.length === 36 ? hexValue(id, 24, 36) + 1 : Number.NaN);
