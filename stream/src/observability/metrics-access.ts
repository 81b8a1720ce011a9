import { timingSafeEqual } from 'node:crypto';

/**
 * Who may read /metrics. Metrics tell an attacker a lot (topic names, traffic, error
 * reasons) and cost a broker round trip for the lag, so they are not public: a request from
 * loopback is let in (a Prometheus or Grafana agent on the same host, a developer), and
 * when HAIDANG_METRICS_TOKEN is set, any request carrying `Authorization: Bearer <token>`
 * (Prometheus' `authorization` scrape setting) is let in from anywhere.
 */
export function metricsAllowed(remoteAddress: string | undefined, authorization: string | undefined, token: string | undefined): boolean {
  if (token) {
    const given = authorization?.match(/^Bearer (.+)$/i)?.[1];
    if (given) {
      const a = Buffer.from(given);
      const b = Buffer.from(token);
      if (a.length === b.length && timingSafeEqual(a, b)) return true;
    }
  }
  return isLoopback(remoteAddress);
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
