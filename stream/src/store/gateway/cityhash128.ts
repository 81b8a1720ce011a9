/**
 * CityHash128 as ClickHouse pins it (CityHash v1.0.2): the checksum of every block of its own
 * compression framing (`compress=1` / `decompress=1`). No maintained npm package has this
 * old version; this follows go-faster/city's CH128 (MIT), which clickhouse-go checks blocks
 * with, and is tested against that package's reference values.
 */
const M = (x: bigint) => BigInt.asUintN(64, x);
const k0 = 0xc3a5c85c97cb3127n;
const k1 = 0xb492b66fbe98f273n;
const k2 = 0x9ae16a3b2f90404fn;
const k3 = 0xc949d7c7509e6557n;
const kMul = 0x9ddfea08eb382d69n;

const rot = (v: bigint, s: bigint) => (s === 0n ? v : M((v >> s) | (v << (64n - s))));
const shiftMix = (v: bigint) => v ^ (v >> 47n);
function h16(u: bigint, v: bigint): bigint {
  let a = M((u ^ v) * kMul);
  a ^= a >> 47n;
  let b = M((v ^ a) * kMul);
  b ^= b >> 47n;
  return M(b * kMul);
}

interface U128 {
  lo: bigint;
  hi: bigint;
}

function weak32(s: DataView, o: number, a: bigint, b: bigint): U128 {
  const w = s.getBigUint64(o, true);
  const x = s.getBigUint64(o + 8, true);
  const y = s.getBigUint64(o + 16, true);
  const z = s.getBigUint64(o + 24, true);
  a = M(a + w);
  b = rot(M(b + a + z), 21n);
  const c = a;
  a = M(a + x + y);
  b = M(b + rot(a, 44n));
  return { lo: M(a + z), hi: M(b + c) };
}

function h0to16(s: DataView, o: number, len: number): bigint {
  if (len > 8) {
    const a = s.getBigUint64(o, true);
    const b = s.getBigUint64(o + len - 8, true);
    return h16(a, rot(M(b + BigInt(len)), BigInt(len))) ^ b;
  }
  if (len >= 4) {
    const a = BigInt(s.getUint32(o, true));
    return h16(M(BigInt(len) + (a << 3n)), BigInt(s.getUint32(o + len - 4, true)));
  }
  if (len > 0) {
    const a = s.getUint8(o);
    const b = s.getUint8(o + (len >> 1));
    const c = s.getUint8(o + len - 1);
    const y = BigInt((a + (b << 8)) >>> 0);
    const z = BigInt((len + (c << 2)) >>> 0);
    return M(shiftMix(M(M(y * k2) ^ M(z * k3))) * k2);
  }
  return k2;
}

function murmur(s: DataView, o: number, len: number, seed: U128): U128 {
  let a = seed.lo;
  let b = seed.hi;
  let c: bigint;
  let d: bigint;
  let l = len - 16;
  if (len <= 16) {
    a = M(shiftMix(M(a * k1)) * k1);
    c = M(M(b * k1) + h0to16(s, o, len));
    d = shiftMix(M(a + (len >= 8 ? s.getBigUint64(o, true) : c)));
  } else {
    c = h16(M(s.getBigUint64(o + len - 8, true) + k1), a);
    d = h16(M(b + BigInt(len)), M(c + s.getBigUint64(o + len - 16, true)));
    a = M(a + d);
    do {
      a ^= M(shiftMix(M(s.getBigUint64(o, true) * k1)) * k1);
      a = M(a * k1);
      b ^= a;
      c ^= M(shiftMix(M(s.getBigUint64(o + 8, true) * k1)) * k1);
      c = M(c * k1);
      d ^= c;
      o += 16;
      l -= 16;
    } while (l > 0);
  }
  a = h16(a, c);
  b = h16(d, b);
  return { lo: a ^ b, hi: h16(b, a) };
}

function withSeed(s: DataView, o: number, len: number, seed: U128): U128 {
  if (len < 128) return murmur(s, o, len, seed);
  const end = o + len;
  let x = seed.lo;
  let y = seed.hi;
  let z = M(BigInt(len) * k1);
  const vlo = M(rot(y ^ k1, 49n) * k1 + s.getBigUint64(o, true));
  let v: U128 = { lo: vlo, hi: M(rot(vlo, 42n) * k1 + s.getBigUint64(o + 8, true)) };
  let w: U128 = { lo: M(rot(M(y + z), 35n) * k1 + x), hi: M(rot(M(x + s.getBigUint64(o + 88, true)), 53n) * k1) };
  let rest = len;
  while (rest >= 128) {
    for (const off of [0, 64]) {
      const p = o + off;
      x = M(rot(M(x + y + v.lo + s.getBigUint64(p + 16, true)), 37n) * k1);
      y = M(rot(M(y + v.hi + s.getBigUint64(p + 48, true)), 42n) * k1);
      x ^= w.hi;
      y ^= v.lo;
      z = rot(z ^ w.lo, 33n);
      v = weak32(s, p, M(v.hi * k1), M(x + w.lo));
      w = weak32(s, p + 32, M(z + w.hi), y);
      [z, x] = [x, z];
    }
    o += 128;
    rest -= 128;
  }
  y = M(y + M(rot(w.lo, 37n) * k0) + z);
  x = M(x + M(rot(M(v.lo + z), 49n) * k0));
  for (let i = 0; i < rest; ) {
    i += 32;
    y = M(rot(M(y - x), 42n) * k0 + v.hi);
    w.lo = M(w.lo + s.getBigUint64(end - i + 16, true));
    x = M(rot(x, 49n) * k0 + w.lo);
    w.lo = M(w.lo + v.lo);
    v = weak32(s, end - i, v.lo, v.hi);
  }
  x = h16(x, v.lo);
  y = h16(y, w.lo);
  return { lo: M(h16(M(x + v.hi), w.hi) + y), hi: h16(M(x + w.hi), M(y + v.hi)) };
}

/** CityHash128 v1.0.2 of `data`, as the 16 bytes ClickHouse writes: low 64 bits, then high, little-endian */
export function cityHash128(data: Uint8Array): Buffer {
  const s = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = data.byteLength;
  let r: U128;
  if (len >= 16) r = withSeed(s, 16, len - 16, { lo: s.getBigUint64(0, true) ^ k3, hi: s.getBigUint64(8, true) });
  else if (len >= 8) r = withSeed(s, 0, 0, { lo: s.getBigUint64(0, true) ^ M(BigInt(len) * k0), hi: s.getBigUint64(len - 8, true) ^ k1 });
  else r = withSeed(s, 0, len, { lo: k0, hi: k1 });
  const out = Buffer.alloc(16);
  out.writeBigUInt64LE(r.lo, 0);
  out.writeBigUInt64LE(r.hi, 8);
  return out;
}
