import { inflateRawSync } from 'node:zlib';

/**
 * An XLSX is a zip, and a zip can lie: a few kilobytes may inflate to gigabytes (a zip
 * bomb) and the sizes in its directory may be false. Before the spreadsheet library sees
 * the file, this reads the zip's central directory (APPNOTE.TXT 4.3.12–4.3.16), refuses
 * too many entries, a declared total over the cap, and any method but stored/deflate, then
 * inflates every entry with `maxOutputLength` set to its declared size, so an entry that
 * inflates further than it says is caught after at most that many bytes.
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

export function guardXlsx(zip: Buffer, limits: XlsxLimits): { entries: number; inflatedBytes: number } {
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
  for (let n = 0; n < entries; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) throw new XlsxRefused('damaged zip directory');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    declared += size;
    if (declared > limits.maxInflatedBytes) throw new XlsxRefused(`the XLSX would inflate to more than ${limits.maxInflatedBytes} bytes`, 'HD_INGEST_TOO_LARGE');
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw new XlsxRefused(`damaged zip entry ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + compressed > zip.length) throw new XlsxRefused(`damaged zip entry ${name}`);
    const data = zip.subarray(start, start + compressed);
    if (method === 0) {
      if (compressed !== size) throw new XlsxRefused(`damaged zip entry ${name}`);
      inflated += size;
    } else if (method === 8) {
      try {
        inflated += inflateRawSync(data, { maxOutputLength: Math.max(1, size) }).length;
      } catch (e) {
        const tooBig = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
        throw new XlsxRefused(tooBig ? `zip entry ${name} inflates beyond its declared ${size} bytes` : `damaged zip entry ${name}`, tooBig ? 'HD_INGEST_TOO_LARGE' : 'HD_INGEST_BAD_FILE');
      }
    } else throw new XlsxRefused(`zip entry ${name} uses compression method ${method}`);
  }
  return { entries, inflatedBytes: inflated };
}
