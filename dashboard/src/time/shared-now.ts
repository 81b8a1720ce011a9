/**
 * Now, rounded up to the next whole minute: the end of a rolling range ("the last 7 days").
 * Every screen asking for the same rolling range within the same minute then sends the same
 * URL, and the api builds that answer once for all of them (its read path keeps answers by
 * URL); with the exact millisecond, no two screens ever asked the same question.
 */
export function sharedNow(): Date {
  return new Date(Math.ceil(Date.now() / 60_000) * 60_000);
}
