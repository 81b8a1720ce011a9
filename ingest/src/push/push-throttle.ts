import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface PushThrottleLimits {
  /** pushes and uploads per verified key per minute */
  perKeyPerMinute: number;
  /** failed authentications (no key, unknown or revoked key) per client address per minute */
  failuresPerAddressPerMinute: number;
}

/**
 * The push and upload limits (rate-limiter-flexible, in memory, per api process), arranged so
 * nobody can spend someone else's allowance: a request counts against a key only once the key
 * is verified (a key id is printed in every key, so counting before verification let anyone
 * who saw one lock its source out), and failed authentications count against the client
 * address they came from. An address over its failure limit is answered 429 before its key
 * is checked. Each answer says how long to wait (`Retry-After`, seconds).
 */
export class PushThrottle {
  private readonly perKey: RateLimiterMemory;
  private readonly failures: RateLimiterMemory;

  constructor(readonly limits: PushThrottleLimits) {
    this.perKey = new RateLimiterMemory({ keyPrefix: 'key', points: limits.perKeyPerMinute, duration: 60 });
    this.failures = new RateLimiterMemory({ keyPrefix: 'fail', points: limits.failuresPerAddressPerMinute, duration: 60 });
  }

  private static seconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

  /** seconds this address must wait after too many failures, or 0 */
  async addressWait(ip: string): Promise<number> {
    const res = await this.failures.get(ip);
    return res && res.consumedPoints >= this.limits.failuresPerAddressPerMinute ? PushThrottle.seconds(res) : 0;
  }

  async failed(ip: string): Promise<void> {
    await this.failures.penalty(ip, 1);
  }

  /** spends one request of a verified key: 0, or the seconds until the key may send again */
  async spend(keyId: string): Promise<number> {
    try {
      await this.perKey.consume(keyId, 1);
      return 0;
    } catch (e) {
      if (e instanceof RateLimiterRes) return PushThrottle.seconds(e);
      throw e;
    }
  }
}
