/**
 * Revoked ids (sessions, keys, wall tokens) as the store lists them, read again at most every
 * `everyMs`, plus this process's own revocations. A read of the list that began before one of
 * ours was written does not have it, so ours are kept beside the list until a read begun after
 * the write has them: replacing the set with such a read would let a signed-out session or a
 * revoked key count again until the next read.
 */
export class RevocationList {
  private listed = new Set<string>();
  /** ids revoked here → when their row was written (ms; Infinity while the write is under way) */
  private readonly own = new Map<string, number>();
  private readAt = 0;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly list: () => Promise<string[]>,
    private readonly everyMs: number,
  ) {}

  /** what this process knows now, without reading the store */
  has(id: string): boolean {
    return this.own.has(id) || this.listed.has(id);
  }

  /** whether `id` is revoked, reading the store's list first when it is older than `everyMs` */
  async isRevoked(id: string): Promise<boolean> {
    if (this.has(id)) return true;
    if (Date.now() - this.readAt > this.everyMs) await this.read();
    return this.has(id);
  }

  /** `id` counts as revoked from now on; `write` stores the revocation (what it returns is passed on) */
  async revoke<T>(id: string, write: () => Promise<T>): Promise<T> {
    this.own.set(id, Number.POSITIVE_INFINITY);
    try {
      return await write();
    } finally {
      this.own.set(id, Date.now());
    }
  }

  /** one read for every check that finds the list stale (the api judges 5,000 screens' sockets together) */
  private read(): Promise<void> {
    this.reading ??= (async () => {
      const startedAt = Date.now();
      const ids = new Set(await this.list());
      for (const [id, writtenAt] of this.own) if (writtenAt < startedAt && ids.has(id)) this.own.delete(id);
      this.listed = ids;
      this.readAt = Date.now();
    })().finally(() => (this.reading = undefined));
    return this.reading;
  }
}
