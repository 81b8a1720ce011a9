interface Waiting<I, O> {
  input: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * Calls made in one turn of the event loop, answered by one piece of work. The first call
 * under a key opens a gathering; every call under that key before the loop's next turn
 * (`setImmediate`) joins it; then `work` gets all their inputs, in the order they came, and
 * hands each caller its own answer (or every caller its error).
 *
 * Kafka hands the batches of one fetch to the handlers side by side in one synchronous run,
 * so their chunks reach the store's steps in the same turn: gathered, they cost one statement
 * where they cost one each — and ClickHouse's price is per statement (bench/view-cost.ts).
 * A call alone costs one turn of the loop more than it did.
 */
export class Gathering<I, O> {
  private readonly open = new Map<string, Array<Waiting<I, O>>>();
  /** gatherings whose work is under way */
  private running = 0;

  get busy(): boolean {
    return this.running > 0;
  }

  /**
   * @param work answers the inputs of one gathering, in their order
   * @param full a gathering that already holds these inputs is answered now, without waiting
   *   for the loop's next turn (enough for one statement; what comes later starts another,
   *   which the store works on while this one runs)
   */
  constructor(
    private readonly work: (key: string, inputs: I[]) => Promise<O[]>,
    private readonly full: (inputs: readonly I[]) => boolean = () => false,
  ) {}

  join(key: string, input: I): Promise<O> {
    let gathered = this.open.get(key);
    if (!gathered) {
      const opened: Array<Waiting<I, O>> = [];
      this.open.set(key, opened);
      setImmediate(() => this.close(key, opened));
      gathered = opened;
    }
    const list = gathered;
    const answer = new Promise<O>((resolve, reject) => list.push({ input, resolve, reject }));
    if (this.full(list.map((w) => w.input))) this.close(key, list);
    return answer;
  }

  /** answers a gathering once: when it is full, or at the loop's next turn, whichever comes first */
  private close(key: string, gathered: Array<Waiting<I, O>>): void {
    if (this.open.get(key) !== gathered) return;
    this.open.delete(key);
    void this.answer(key, gathered);
  }

  private async answer(key: string, gathered: Array<Waiting<I, O>>): Promise<void> {
    this.running++;
    try {
      const out = await this.work(
        key,
        gathered.map((w) => w.input),
      );
      gathered.forEach((w, i) => w.resolve(out[i]!));
    } catch (e) {
      for (const w of gathered) w.reject(e);
    } finally {
      this.running--;
    }
  }
}
