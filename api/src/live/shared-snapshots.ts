/**
 * A channel's snapshot read once for the screens subscribing at about the same time (5,000
 * walls reconnecting after a restart would otherwise each run the same query). A subscriber
 * joins its room before it asks, so the snapshot it gets must be read *after* it asked: a read
 * already running may have missed a batch whose delta went out before the subscriber joined.
 * So a subscriber who asks while a read runs waits for the next one, which starts when the
 * running one ends and serves everyone who asked meanwhile: per channel at most one read
 * runs and one waits. Snapshots are the same for every role that may follow the channel.
 */
export function sharedSnapshots<C>(read: (channel: C) => Promise<unknown>): (channel: C) => Promise<unknown> {
  const slots = new Map<C, { running: Promise<unknown> | undefined; queued: Promise<unknown> | undefined }>();
  const start = (channel: C, slot: { running: Promise<unknown> | undefined }) => {
    const p = read(channel);
    slot.running = p;
    const done = () => {
      if (slot.running === p) slot.running = undefined;
    };
    p.then(done, done);
    return p;
  };
  return (channel) => {
    let slot = slots.get(channel);
    if (!slot) slots.set(channel, (slot = { running: undefined, queued: undefined }));
    const s = slot;
    if (!s.running) return start(channel, s);
    s.queued ??= s.running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      s.queued = undefined;
      return start(channel, s);
    });
    return s.queued;
  };
}
