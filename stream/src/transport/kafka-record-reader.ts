/**
 * The records of one record batch (Kafka's message format v2), read as kafkajs' own decoder
 * reads them and in the same shape, without its 64-bit arithmetic. kafkajs computes every
 * record's offset and timestamp as `BigInt` from the batch's base given as text (parse, add,
 * print) and reads each varlong byte by byte into a new `BigInt`: 1.9–2.4 µs of CPU a record,
 * against 0.7–0.9 µs read here (bench/kafka-decode.ts, docs/benchmarks.md). Here the base is
 * read once, and the sums are plain numbers, exact while they stay below 2^53: a batch whose
 * offsets or timestamps go past that is handed back (`undefined`) for kafkajs to read, as is
 * anything this reader does not expect (a control batch, a record that runs past its batch).
 *
 * Layout (https://kafka.apache.org/documentation/#recordbatch): the 61-byte batch header, then
 * per record: length varint · attributes int8 · timestampDelta varlong · offsetDelta varint ·
 * key varint-length bytes · value varint-length bytes · headers count varint, each header a
 * varint-length string key and varint-length bytes value. Varints are zigzag-encoded; a length
 * of -1 is null.
 */

/** what kafkajs' record-batch decoder returns for a batch (the fields its consumer reads) */
export interface DecodedBatch {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  records: DecodedRecord[];
}

export interface DecodedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | Array<Buffer | null>>;
  isControlRecord: boolean;
  batchContext: Omit<DecodedBatch, 'records'> & { magicByte: number };
}

const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
const LOG_APPEND_TIME = 0x08;

/** the header of the batch at `start` of `buffer` (a whole batch), or undefined when kafkajs should read it */
export function batchHeader(buffer: Buffer, start: number): Omit<DecodedBatch, 'records'> | undefined {
  const attributes = buffer.readInt16BE(start + 21);
  if (buffer.readInt8(start + 16) !== 2 || attributes & CONTROL) return undefined;
  const firstOffset = buffer.readBigInt64BE(start);
  const firstTimestamp = buffer.readBigInt64BE(start + 27);
  if (!safe(firstOffset) || !safe(firstTimestamp)) return undefined;
  const logAppend = (attributes & LOG_APPEND_TIME) !== 0;
  return {
    firstOffset: firstOffset.toString(),
    firstTimestamp: firstTimestamp.toString(),
    partitionLeaderEpoch: buffer.readInt32BE(start + 12),
    inTransaction: (attributes & TRANSACTIONAL) !== 0,
    isControlBatch: false,
    lastOffsetDelta: buffer.readInt32BE(start + 23),
    producerId: buffer.readBigInt64BE(start + 43).toString(),
    producerEpoch: buffer.readInt16BE(start + 51),
    firstSequence: buffer.readInt32BE(start + 53),
    maxTimestamp: buffer.readBigInt64BE(start + 35).toString(),
    // kafkajs' TimestampTypes: 0 create time, 1 log append time
    timestampType: logAppend ? 1 : 0,
  };
}

const safe = (n: bigint) => n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER);

/**
 * `count` records from `from` to `end` of `buffer` (the batch's records, decompressed if they
 * were compressed), or undefined when they are not exactly `count` well-formed records.
 */
export function readRecords(buffer: Buffer, from: number, end: number, count: number, header: Omit<DecodedBatch, 'records'>): DecodedRecord[] | undefined {
  const batchContext = { ...header, magicByte: 2 };
  const baseOffset = Number(header.firstOffset);
  const baseTime = Number(header.firstTimestamp);
  const appendTime = header.timestampType === 1 ? header.maxTimestamp : undefined;
  // pushed one by one: the count is the producer's word until every record is read
  const records: DecodedRecord[] = [];
  let pos = from;
  // a varint of at most 5 bytes, zigzag-decoded; NaN when it runs on or past the end
  const varint = (): number => {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= end) return Number.NaN;
      const b = buffer[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) return (result >>> 1) ^ -(result & 1);
    }
    return Number.NaN;
  };
  // a varlong that fits in 49 bits (7 bytes), zigzag-decoded; NaN otherwise
  const varlong = (): number => {
    let result = 0;
    for (let shift = 0; shift < 49; shift += 7) {
      if (pos >= end) return Number.NaN;
      const b = buffer[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
    return Number.NaN;
  };
  const bytes = (): Buffer | null | undefined => {
    const length = varint();
    if (length === -1) return null;
    if (!(length >= 0) || pos + length > end) return undefined;
    const out = buffer.subarray(pos, pos + length);
    pos += length;
    return out;
  };
  for (let i = 0; i < count; i++) {
    const length = varint();
    if (!(length >= 0)) return undefined;
    const recordEnd = pos + length;
    if (recordEnd > end) return undefined;
    const attributes = buffer.readInt8(pos++);
    const timestampDelta = varlong();
    const offsetDelta = varint();
    const key = bytes();
    const value = bytes();
    const headerCount = varint();
    if (Number.isNaN(timestampDelta) || Number.isNaN(offsetDelta) || key === undefined || value === undefined || Number.isNaN(headerCount)) return undefined;
    const headers: DecodedRecord['headers'] = {};
    for (let h = 0; h < headerCount; h++) {
      const name = bytes();
      const headerValue = bytes();
      if (name === undefined || headerValue === undefined) return undefined;
      const k = name === null ? 'null' : name.toString('utf8');
      const had = headers[k];
      headers[k] = had === undefined ? headerValue : Array.isArray(had) ? [...had, headerValue] : [had, headerValue];
    }
    if (pos !== recordEnd) return undefined;
    const offset = baseOffset + offsetDelta;
    const timestamp = baseTime + timestampDelta;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(timestamp)) return undefined;
    records.push({ magicByte: 2, attributes, timestamp: appendTime ?? String(timestamp), offset: String(offset), key, value, headers, isControlRecord: false, batchContext });
  }
  return records;
}
