import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A source API key is `hd_<keyId>_<secret>`: the id (8 random bytes, hex) names the key in
 * lists, logs and the rate limiter; the secret is 32 random bytes (256 bits, base64url).
 *
 * Only SHA-256 of the whole key is stored. A slow hash (scrypt, as for passwords) exists to
 * make guessing low-entropy secrets expensive after a leak of the table; 256 random bits
 * cannot be guessed however fast the hash, so a fast hash loses nothing and keeps checking
 * a key on every push cheap.
 */
export interface NewKey {
  keyId: string;
  key: string;
  hash: string;
}

const keyPattern = /^hd_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function newApiKey(): NewKey {
  const keyId = randomBytes(8).toString('hex');
  const key = `hd_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, key, hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** the key id of a well-formed key, or undefined */
export function keyIdOf(key: string): string | undefined {
  return keyPattern.exec(key)?.[1];
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** the key a request carries: `Authorization: Bearer <key>` or `X-Api-Key: <key>` */
export function keyFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const x = headers['x-api-key'];
  return typeof x === 'string' && x.trim() ? x.trim() : undefined;
}
