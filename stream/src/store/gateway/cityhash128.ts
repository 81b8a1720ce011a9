/**
 * CityHash128 as ClickHouse pins it (CityHash v1.0.2): the checksum of every block of its own
 * compression framing (`compress=1` / `decompress=1`). No maintained npm package has this
 * old version; this follows go-faster/city's CH128 (MIT), which clickhouse-go checks blocks
 * with, and is tested against that package's reference values.
 */

/** a 64-bit word as [high, low] 32-bit halves: twice as fast as BigInt here (~100 ms per MiB) */
type U = [number, number];

function umulhi(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  let t = a0 * b0;
  const k0 = t >>> 16;
  t = a1 * b0 + k0;
  const w1 = t & 0xffff;
  const w2 = Math.floor(t / 65536);
  t = a0 * b1 + w1;
  const k = Math.floor(t / 65536);
  return (a1 * b1 + w2 + k) >>> 0;
}
const mul = (a: U, b: U): U => [(umulhi(a[1], b[1]) + Math.imul(a[0], b[1]) + Math.imul(a[1], b[0])) >>> 0, Math.imul(a[1], b[1]) >>> 0];
function add(a: U, b: U): U {
  const lo = a[1] + b[1];
  return [(a[0] + b[0] + (lo > 0xffffffff ? 1 : 0)) >>> 0, lo >>> 0];
}
function sub(a: U, b: U): U {
  const lo = a[1] - b[1];
  return [(a[0] - b[0] - (lo < 0 ? 1 : 0)) >>> 0, lo >>> 0];
}
const xor = (a: U, b: U): U => [(a[0] ^ b[0]) >>> 0, (a[1] ^ b[1]) >>> 0];
function rot(v: U, s: number): U {
  if (s === 0) return v;
  let [hi, lo] = v;
  if (s >= 32) {
    [hi, lo] = [lo, hi];
    s -= 32;
    if (s === 0) return [hi, lo];
  }
  return [((hi >>> s) | (lo << (32 - s))) >>> 0, ((lo >>> s) | (hi << (32 - s))) >>> 0];
}
const shiftMix = (v: U): U => [v[0], (v[1] ^ (v[0] >>> 15)) >>> 0]; // v ^ (v >> 47)
const k0: U = [0xc3a5c85c, 0x97cb3127];
const k1: U = [0xb492b66f, 0xbe98f273];
const k2: U = [0x9ae16a3b, 0x2f90404f];
const k3: U = [0xc949d7c7, 0x509e6557];
const kMul: U = [0x9ddfea08, 0xeb382d69];
const n64 = (n: number): U => [Math.floor(n / 4294967296) >>> 0, n >>> 0];

function h16(u: U, v: U): U {
  let a = mul(xor(u, v), kMul);
  a = xor(a, [0, a[0] >>> 15]);
  let b = mul(xor(v, a), kMul);
  b = xor(b, [0, b[0] >>> 15]);
  return mul(b, kMul);
}
const get = (s: DataView, o: number): U => [s.getUint32(o + 4, true), s.getUint32(o, true)];

function weak32(s: DataView, o: number, a: U, b: U): [U, U] {
  const w = get(s, o), x = get(s, o + 8), y = get(s, o + 16), z = get(s, o + 24);
  a = add(a, w);
  b = rot(add(add(b, a), z), 21);
  const c = a;
  a = add(add(a, x), y);
  b = add(b, rot(a, 44));
  return [add(a, z), add(b, c)];
}

function h0to16(s: DataView, o: number, len: number): U {
  if (len > 8) {
    const a = get(s, o);
    const b = get(s, o + len - 8);
    return xor(h16(a, rot(add(b, n64(len)), len)), b);
  }
  if (len >= 4) {
    const a = s.getUint32(o, true);
    return h16(add(n64(len), [a >>> 29, (a << 3) >>> 0]), [0, s.getUint32(o + len - 4, true)]);
  }
  if (len > 0) {
    const a = s.getUint8(o), b = s.getUint8(o + (len >> 1)), c = s.getUint8(o + len - 1);
    const y: U = [0, (a + (b << 8)) >>> 0];
    const z: U = [0, (len + (c << 2)) >>> 0];
    return mul(shiftMix(xor(mul(y, k2), mul(z, k3))), k2);
  }
  return k2;
}

function murmur(s: DataView, o: number, len: number, lo: U, hi: U): [U, U] {
  let a = lo, b = hi, c: U, d: U;
  let l = len - 16;
  if (len <= 16) {
    a = mul(shiftMix(mul(a, k1)), k1);
    c = add(mul(b, k1), h0to16(s, o, len));
    d = shiftMix(add(a, len >= 8 ? get(s, o) : c));
  } else {
    c = h16(add(get(s, o + len - 8), k1), a);
    d = h16(add(b, n64(len)), add(c, get(s, o + len - 16)));
    a = add(a, d);
    do {
      a = xor(a, mul(shiftMix(mul(get(s, o), k1)), k1));
      a = mul(a, k1);
      b = xor(b, a);
      c = xor(c, mul(shiftMix(mul(get(s, o + 8), k1)), k1));
      c = mul(c, k1);
      d = xor(d, c);
      o += 16;
      l -= 16;
    } while (l > 0);
  }
  a = h16(a, c);
  b = h16(d, b);
  return [xor(a, b), h16(b, a)];
}

function withSeed(s: DataView, o: number, len: number, seedLo: U, seedHi: U): [U, U] {
  if (len < 128) return murmur(s, o, len, seedLo, seedHi);
  const end = o + len;
  let x = seedLo, y = seedHi;
  let z = mul(n64(len), k1);
  const vlo = add(mul(rot(xor(y, k1), 49), k1), get(s, o));
  let v: [U, U] = [vlo, add(mul(rot(vlo, 42), k1), get(s, o + 8))];
  let w: [U, U] = [add(mul(rot(add(y, z), 35), k1), x), mul(rot(add(x, get(s, o + 88)), 53), k1)];
  let rest = len;
  while (rest >= 128) {
    for (let off = 0; off <= 64; off += 64) {
      const p = o + off;
      x = mul(rot(add(add(add(x, y), v[0]), get(s, p + 16)), 37), k1);
      y = mul(rot(add(add(y, v[1]), get(s, p + 48)), 42), k1);
      x = xor(x, w[1]);
      y = xor(y, v[0]);
      z = rot(xor(z, w[0]), 33);
      v = weak32(s, p, mul(v[1], k1), add(x, w[0]));
      w = weak32(s, p + 32, add(z, w[1]), y);
      [z, x] = [x, z];
    }
    o += 128;
    rest -= 128;
  }
  y = add(add(y, mul(rot(w[0], 37), k0)), z);
  x = add(x, mul(rot(add(v[0], z), 49), k0));
  for (let i = 0; i < rest; ) {
    i += 32;
    y = add(mul(rot(sub(y, x), 42), k0), v[1]);
    w = [add(w[0], get(s, end - i + 16)), w[1]];
    x = add(mul(rot(x, 49), k0), w[0]);
    w = [add(w[0], v[0]), w[1]];
    v = weak32(s, end - i, v[0], v[1]);
  }
  x = h16(x, v[0]);
  y = h16(y, w[0]);
  return [add(h16(add(x, v[1]), w[1]), y), h16(add(x, w[1]), add(y, v[1]))];
}

/** CityHash128 v1.0.2 of `data`, as the 16 bytes ClickHouse writes: low 64 bits, then high, little-endian */
export function cityHash128(data: Uint8Array): Buffer {
  const s = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = data.byteLength;
  let r: [U, U];
  if (len >= 16) r = withSeed(s, 16, len - 16, xor(get(s, 0), k3), get(s, 8));
  else if (len >= 8) r = withSeed(s, 0, 0, xor(get(s, 0), mul(n64(len), k0)), xor(get(s, len - 8), k1));
  else r = withSeed(s, 0, len, k0, k1);
  const out = Buffer.alloc(16);
  out.writeUInt32LE(r[0][1], 0);
  out.writeUInt32LE(r[0][0], 4);
  out.writeUInt32LE(r[1][1], 8);
  out.writeUInt32LE(r[1][0], 12);
  return out;
}
