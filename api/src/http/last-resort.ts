import type { Logger } from '@haidang/stream';

/**
 * The process-level safety net of a serving process, installed once it listens. It is the
 * last resort, not the defence: every handshake, route and socket event validates its input
 * before parsing it (tests/edges-fuzz.test.ts throws malformed ones at a running server). If
 * a handler still throws outside Fastify's and socket.io's own error handling, one request
 * must not take down every operator's wall: the error is logged and the process keeps
 * serving. Errors coming thick and fast mean the state may be broken, so past `maxPerMinute`
 * the process exits for its supervisor to restart it.
 */
export function installLastResort(logger: Logger, maxPerMinute = 20): () => void {
  const recent: number[] = [];
  const seen = (kind: string, err: unknown) => {
    const now = Date.now();
    recent.push(now);
    while (recent.length && now - recent[0]! > 60_000) recent.shift();
    if (recent.length > maxPerMinute) {
      logger.fatal({ err, kind, perMinute: recent.length }, 'too many uncaught errors in a minute: exiting for a supervisor to restart the process');
      process.exit(1);
    }
    logger.error({ err, kind }, `${kind}: logged and kept running (a handler did not validate its input — a bug to fix)`);
  };
  const onException = (err: Error) => seen('uncaught exception', err);
  const onRejection = (reason: unknown) => seen('unhandled rejection', reason);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
