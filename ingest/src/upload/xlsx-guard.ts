import { inflateRawSync } from 'node:zlib';

/**
 * An XLSX is a zip, and a zip can lie: a few kilobytes may inflate to gigabytes (a zip
 * bomb) and the sizes in its directory may be false. Before the spreadsheet library sees
 * the file, this reads the zip's central directory (APPNOTE.TXT 4.3.12–4.3.16), refuses
 * too many entries, a declared total over the cap, and any method but stored/deflate, then
 * inflates every entry with `maxOutputLength` set to its declared size, so an entry that
 * inflates further than it says is caught after at most that many bytes.
 *
 * The spreadsheet library unzips by streaming the local headers, not by the directory, so a
 * local entry the directory does not list (a "smuggled" bomb) would pass a check of the
 * directory alone. Such an entry is refused unread (413), and the library is never given the
 * uploaded zip anyway: it reads `zip`, a copy rebuilt from the checked entries only — each
 * entry's compressed bytes as they are, behind a local header that repeats the directory's
 * sizes and checksum. What the guard checked and what is unzipped are the same entries,
 * bounded by the same sizes.
 */
export interface XlsxLimits {
  maxEntries: number;
  /** bytes all entries may inflate to together */
  maxInflatedBytes: number;
}

/** why an XLSX is refused, with the ingest code it is answered with (too large, or not readable) */
export class XlsxRefused extends Error {
  constructor(
    message: string,
    readonly code: 'HD_INGEST_TOO_LARGE' | 'HD_INGEST_BAD_FILE' = 'HD_INGEST_BAD_FILE',
  ) {
    super(message);
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const localSignature = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Refuses a local entry that the directory does not list: bytes before the directory that
 * no listed entry covers and that hold a local header. A streaming unzip would inflate it,
 * and its size was never checked, so it is refused unread (413, as a possible zip bomb).
 */
function unlisted(zip: Buffer, entries: readonly CheckedEntry[], dirOffset: number): void {
  const spans = entries.map((e) => [e.from, e.to] as const).sort((a, b) => a[0] - b[0]);
  let covered = 0;
  const gaps: Array<[number, number]> = [];
  for (const [from, to] of spans) {
    if (from > covered) gaps.push([covered, from]);
    covered = Math.max(covered, to);
  }
  if (dirOffset > covered) gaps.push([covered, dirOffset]);
  for (const [from, to] of gaps) {
    const at = zip.subarray(from, to).indexOf(localSignature);
    if (at >= 0) throw new XlsxRefused(`the zip holds an entry its directory does not list (at byte ${from + at}); it is refused unread, as a zip bomb can hide that way`, 'HD_INGEST_TOO_LARGE');
  }
}

/** a checked entry: where its compressed bytes are, and the sizes the directory declares */
interface CheckedEntry {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  data: Buffer;
  size: number;
  /** where its local header starts and where its bytes (and data descriptor) end in the upload */
  from: number;
  to: number;
}

export interface GuardedXlsx {
  entries: number;
  inflatedBytes: number;
  /** the zip rebuilt from the checked entries only: what the spreadsheet library may read */
  zip: Buffer;
  /** a checked entry's bytes (inflated again, bounded by its declared size), or undefined when there is none */
  read(name: string): Buffer | undefined;
  /** a checked entry's declared (and enforced) inflated size, without inflating it */
  size(name: string): number | undefined;
}

function inflateEntry(e: CheckedEntry, name: string): Buffer {
  if (e.method === 0) return e.data;
  try {
    return inflateRawSync(e.data, { maxOutputLength: Math.max(1, e.size) });
  } catch (err) {
    const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new XlsxRefused(tooBig ? `zip entry ${name} inflates beyond its declared ${e.size} bytes` : `damaged zip entry ${name}`, tooBig ? 'HD_INGEST_TOO_LARGE' : 'HD_INGEST_BAD_FILE');
  }
}

/** a plain zip of the checked entries: local header + the same compressed bytes each, then the directory */
function rebuild(entries: readonly CheckedEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    // bit 11 (names in UTF-8) is kept; a data descriptor (bit 3) is not needed: the sizes are in the header
    const flags = e.flags & 0x0800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    writeEntryFields(local, 6, e, flags);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(CENTRAL, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    writeEntryFields(dir, 8, e, flags);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, e.name, e.data);
    central.push(dir, e.name);
    offset += 30 + e.name.length + e.data.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

export function guardXlsx(zip: Buffer, limits: XlsxLimits): GuardedXlsx {
  // the end-of-central-directory record is in the last 22 + 65,535 (comment) bytes
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxRefused('not an XLSX file (no zip directory)');
  const entries = zip.readUInt16LE(eocd + 10);
  const dirSize = zip.readUInt32LE(eocd + 12);
  const dirOffset = zip.readUInt32LE(eocd + 16);
  if (entries === 0xffff || dirOffset === 0xffffffff) throw new XlsxRefused('ZIP64 archives are not accepted');
  if (entries > limits.maxEntries) throw new XlsxRefused(`${entries} zip entries > ${limits.maxEntries}`, 'HD_INGEST_TOO_LARGE');
  if (dirOffset + dirSize > eocd) throw new XlsxRefused('damaged zip directory');
  let declared = 0;
  let inflated = 0;
  let p = dirOffset;
  const checked = new Map<string, CheckedEntry>();
  for (let n = 0; n < entries; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) throw new XlsxRefused('damaged zip directory');
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const rawName = zip.subarray(p + 46, p + 46 + nameLen);
    const name = rawName.toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    declared += size;
    if (declared > limits.maxInflatedBytes) throw new XlsxRefused(`the XLSX would inflate to more than ${limits.maxInflatedBytes} bytes`, 'HD_INGEST_TOO_LARGE');
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw new XlsxRefused(`damaged zip entry ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + compressed > zip.length) throw new XlsxRefused(`damaged zip entry ${name}`);
    if (flags & 0x0001) throw new XlsxRefused(`zip entry ${name} is encrypted`);
    if (method !== 0 && method !== 8) throw new XlsxRefused(`zip entry ${name} uses compression method ${method}`);
    if (checked.has(name)) throw new XlsxRefused(`zip entry ${name} is listed twice`);
    // a data descriptor (flag bit 3) follows the data: 12 bytes, or 16 with its optional signature
    const descriptor = flags & 0x0008 ? (start + compressed + 4 <= zip.length && zip.readUInt32LE(start + compressed) === DESCRIPTOR ? 16 : 12) : 0;
    const entry: CheckedEntry = { name: Buffer.from(rawName), flags, method, crc, data: zip.subarray(start, start + compressed), size, from: local, to: start + compressed + descriptor };
    if (method === 0 && compressed !== size) throw new XlsxRefused(`damaged zip entry ${name}`);
    inflated += inflateEntry(entry, name).length;
    if (inflated > limits.maxInflatedBytes) throw new XlsxRefused(`the XLSX would inflate to more than ${limits.maxInflatedBytes} bytes`, 'HD_INGEST_TOO_LARGE');
    checked.set(name, entry);
  }
  unlisted(zip, [...checked.values()], dirOffset);
  const rebuilt = rebuild([...checked.values()]);
  return {
    entries,
    inflatedBytes: inflated,
    zip: rebuilt,
    read: (name) => {
      const e = checked.get(name);
      return e ? inflateEntry(e, name) : undefined;
    },
    size: (name) => checked.get(name)?.size,
  };
}

/** the run the local and the central header share, from `at`: flags, method, time and date (0), CRC-32, compressed and full size, name length */
function writeEntryFields(b: Buffer, at: number, e: { method: number; crc: number; data: Buffer; size: number; name: Buffer }, flags: number): void {
  b.writeUInt16LE(flags, at);
  b.writeUInt16LE(e.method, at + 2);
  b.writeUInt32LE(e.crc, at + 8);
  b.writeUInt32LE(e.data.length, at + 12);
  b.writeUInt32LE(e.size, at + 16);
  b.writeUInt16LE(e.name.length, at + 20);
}
