import { HttpError } from './http-error.ts';

/**
 * Native as a TCP-protocol client reads it. chDB writes `Native` for protocol revision 0; a
 * client that sends `client_protocol_version` (clickhouse-go does, on every request) reads
 * each block with a BlockInfo in front and, after each column's type, a byte saying whether
 * the column uses a custom serialization. This rewrites chDB's blocks into that shape: it
 * walks each column's bytes by its type to find where the next column starts.
 *
 * Types whose Native form carries state of its own (JSON, Dynamic, Variant, Object,
 * AggregateFunction) are refused rather than guessed.
 */
const fixed: Record<string, number> = {
  UInt8: 1, Int8: 1, Bool: 1, Enum8: 1, UInt16: 2, Int16: 2, Date: 2, Enum16: 2, BFloat16: 2,
  UInt32: 4, Int32: 4, Float32: 4, Date32: 4, DateTime: 4, IPv4: 4, Decimal32: 4, Time: 4,
  UInt64: 8, Int64: 8, Float64: 8, DateTime64: 8, Decimal64: 8, Time64: 8,
  UInt128: 16, Int128: 16, UUID: 16, IPv6: 16, Decimal128: 16, UInt256: 32, Int256: 32, Decimal256: 32,
};

interface Type {
  name: string;
  args: string[];
}

/** `Name(arg, arg…)` split at its top-level commas; named tuple elements keep only their type */
function parseType(t: string): Type {
  const s = t.trim();
  const open = s.indexOf('(');
  if (open < 0 || !s.endsWith(')')) return { name: s, args: [] };
  const args: string[] = [];
  let depth = 0;
  let quote = false;
  let start = open + 1;
  for (let i = start; i < s.length - 1; i++) {
    const c = s[i];
    if (c === "'" && s[i - 1] !== '\\') quote = !quote;
    if (quote) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      args.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(s.slice(start, s.length - 1).trim());
  return { name: s.slice(0, open), args };
}

class Cursor {
  constructor(
    readonly b: Buffer,
    public at = 0,
  ) {}
  varUInt(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const byte = this.b[this.at++];
      if (byte === undefined) throw new RangeError('Native block cut short');
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
      mul *= 128;
    }
  }
  str(): string {
    const n = this.varUInt();
    const s = this.b.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }
  skip(n: number): void {
    this.at += n;
    if (this.at > this.b.length) throw new RangeError('Native block cut short');
  }
}

const elementType = (arg: string) => (/^[A-Za-z_][\w]*\s+[A-Z]/.test(arg) && !/^(Nullable|Array|Tuple|Map|LowCardinality)\(/.test(arg) ? arg.replace(/^\S+\s+/, '') : arg);

/** moves past `rows` values of `type` */
function skipColumn(c: Cursor, type: string, rows: number): void {
  const t = parseType(type);
  const size = fixed[t.name];
  if (size !== undefined) return c.skip(size * rows);
  switch (t.name) {
    case 'String':
      for (let i = 0; i < rows; i++) c.skip(c.varUInt());
      return;
    case 'FixedString':
      return c.skip(Number(t.args[0]) * rows);
    case 'Decimal': {
      const p = Number(t.args[0]);
      return c.skip((p <= 9 ? 4 : p <= 18 ? 8 : p <= 38 ? 16 : 32) * rows);
    }
    case 'Nullable':
      c.skip(rows);
      return skipColumn(c, t.args[0]!, rows);
    case 'Array':
    case 'Map': {
      let total = 0;
      for (let i = 0; i < rows; i++) {
        total = Number(c.b.readBigUInt64LE(c.at));
        c.skip(8);
      }
      if (t.name === 'Array') return skipColumn(c, t.args[0]!, total);
      skipColumn(c, t.args[0]!, total);
      return skipColumn(c, t.args[1]!, total);
    }
    case 'Tuple':
      for (const a of t.args) skipColumn(c, elementType(a), rows);
      return;
    case 'LowCardinality': {
      // keys version, then per granule: index type (with flags), new dictionary keys, row indexes
      if (rows === 0) return;
      c.skip(8);
      const keys = t.args[0]!.replace(/^Nullable\((.*)\)$/, '$1');
      for (let done = 0; done < rows; ) {
        const flags = Number(c.b.readBigUInt64LE(c.at));
        c.skip(8);
        if (flags & (1 << 9)) {
          const n = Number(c.b.readBigUInt64LE(c.at));
          c.skip(8);
          skipColumn(c, keys, n);
        }
        const n = Number(c.b.readBigUInt64LE(c.at));
        c.skip(8 + n * [1, 2, 4, 8][flags & 0xff]!);
        done += n;
      }
      return;
    }
    case 'SimpleAggregateFunction':
      return skipColumn(c, t.args.at(-1)!, rows);
    case 'Nothing':
      return c.skip(rows);
    default:
      throw new HttpError(501, 48, `Native output of type ${type} for a client_protocol_version client is not supported by haidang store; cast it to String (NOT_IMPLEMENTED)`);
  }
}

const blockInfo = Buffer.from([0x01, 0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0x00]);

/** the first revision whose Native blocks carry a serialization byte per column */
const customSerialization = 54454;

export function nativeForProtocolClient(native: Buffer, revision: number): Buffer {
  const c = new Cursor(native);
  const out: Buffer[] = [];
  while (c.at < native.length) {
    out.push(blockInfo);
    const head = c.at;
    const cols = c.varUInt();
    const rows = c.varUInt();
    out.push(native.subarray(head, c.at));
    for (let i = 0; i < cols; i++) {
      const from = c.at;
      c.str();
      const type = c.str();
      out.push(native.subarray(from, c.at));
      if (revision >= customSerialization) out.push(Buffer.from([0]));
      const data = c.at;
      skipColumn(c, type, rows);
      out.push(native.subarray(data, c.at));
    }
  }
  return Buffer.concat(out);
}
