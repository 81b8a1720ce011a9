/**
 * The key a request carries: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. A source API
 * key is `hd_<keyId>_<secret>`, one of stream's RevocableSecrets (see source-keys.ts).
 */
export function keyFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const x = headers['x-api-key'];
  return typeof x === 'string' && x.trim() ? x.trim() : undefined;
}
