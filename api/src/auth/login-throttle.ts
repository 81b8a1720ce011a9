import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginThrottleOptions {
  /** failed sign-ins in a row that cost nothing, per account and per address */
  freeFailures: number;
  /** the longest wait, seconds; the wait doubles with each failure after the free ones, from 1 s */
  maxWaitSeconds: number;
  /** how long a run of failures is remembered without a new one, seconds */
  memorySeconds: number;
}
const defaultLoginThrottle: LoginThrottleOptions = { freeFailures: 5, maxWaitSeconds: 900, memorySeconds: 24 * 3600 };

export type ThrottleVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; by: 'account' | 'address' };

/**
 * Backoff on failed sign-ins, per account and per client address (rate-limiter-flexible's
 * in-memory limiters, so per api process). After `freeFailures` failures in a row, the next
 * attempt must wait 1 s, then 2, 4, … up to `maxWaitSeconds`; a success clears the run.
 * Counting per account stops a guesser who spreads attempts over many addresses; counting per
 * address stops one address trying many accounts. So that an attacker failing on purpose
 * cannot keep the owner out, the account's wait does not apply to an address that has signed
 * into that account in the last 7 days (remembered in this process).
 */
export class LoginThrottle {
  private readonly failures: RateLimiterMemory;
  private readonly waits: RateLimiterMemory;
  private readonly trusted: RateLimiterMemory;

  constructor(readonly options: LoginThrottleOptions = defaultLoginThrottle) {
    this.failures = new RateLimiterMemory({ keyPrefix: 'fail', points: 1_000_000, duration: options.memorySeconds });
    this.waits = new RateLimiterMemory({ keyPrefix: 'wait', points: 1, duration: options.maxWaitSeconds });
    this.trusted = new RateLimiterMemory({ keyPrefix: 'good', points: 1_000_000, duration: 7 * 24 * 3600 });
  }

  private static account = (username: string) => `a:${username.toLowerCase()}`;
  private static address = (ip: string) => `i:${ip}`;

  private async waiting(key: string): Promise<number> {
    const w = await this.waits.get(key);
    return w && w.consumedPoints > 1 ? Math.max(1, Math.ceil(w.msBeforeNext / 1000)) : 0;
  }

  /** before checking the password: may this address try this account now? */
  async check(username: string, ip: string): Promise<ThrottleVerdict> {
    const byAddress = await this.waiting(LoginThrottle.address(ip));
    if (byAddress) return { ok: false, retryAfterSeconds: byAddress, by: 'address' };
    const knownGood = (await this.trusted.get(`${LoginThrottle.account(username)}|${ip}`)) !== null;
    const byAccount = knownGood ? 0 : await this.waiting(LoginThrottle.account(username));
    if (byAccount) return { ok: false, retryAfterSeconds: byAccount, by: 'account' };
    return { ok: true };
  }

  async failed(username: string, ip: string): Promise<void> {
    for (const key of [LoginThrottle.account(username), LoginThrottle.address(ip)]) {
      const res: RateLimiterRes = await this.failures.penalty(key, 1);
      const over = res.consumedPoints - this.options.freeFailures;
      if (over > 0) await this.waits.block(key, Math.min(2 ** (over - 1), this.options.maxWaitSeconds));
    }
  }

  async succeeded(username: string, ip: string): Promise<void> {
    // a run of failures ends; a wait the account is serving still holds for other addresses
    await Promise.all([this.failures.delete(LoginThrottle.account(username)), this.failures.delete(LoginThrottle.address(ip)), this.waits.delete(LoginThrottle.address(ip))]);
    await this.trusted.penalty(`${LoginThrottle.account(username)}|${ip}`, 1);
  }
}
