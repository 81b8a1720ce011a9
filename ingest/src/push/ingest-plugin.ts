import { createGunzip } from 'node:zlib';
import fastifyMultipart from '@fastify/multipart';
import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dataStreams, HaiDangError, jsonBodyParser, JsonBodyError, type DataStreamName, type Logger, type TopicNames, type Transport } from '@haidang/stream';
import { keyFromHeaders } from '../sources/api-key.ts';
import type { SourceKey, SourceKeys } from '../sources/source-keys.ts';
import { csvTemplate, xlsxTemplate } from '../upload/templates.ts';
import { defaultUploadLimits, handleUpload, type UploadLimits } from '../upload/upload-route.ts';
import type { Commodity } from '../sources/commodity-names.ts';
import { EventPublisher } from './event-publisher.ts';
import { freshEventId, idempotentEventId } from './event-ids.ts';
import { IdempotencyRecords } from './idempotency.ts';
import { IngestError, ingestErrorCodes, type IngestErrorCode } from './ingest-error.ts';
import { PushThrottle } from './push-throttle.ts';
import { canonical } from './canonical-json.ts';
import { checkItem, type Checked, type ItemResult } from './push-items.ts';

export interface PushLimits {
  /** events in one push */
  maxItems: number;
  /** bytes of one push body after decoding (gzip is decoded before counting) */
  maxBodyBytes: number;
  /** pushes and uploads per verified key per minute */
  perKeyPerMinute: number;
  /** failed authentications per client address per minute; beyond it the address gets 429 */
  failuresPerAddressPerMinute: number;
}
const defaultPushLimits: PushLimits = { maxItems: 1_000, maxBodyBytes: 2 * 1024 * 1024, perKeyPerMinute: 600, failuresPerAddressPerMinute: 30 };

export interface IngestOptions {
  store: ClickHouseClient;
  transport: Transport;
  topics: TopicNames;
  logger: Logger;
  keys: SourceKeys;
  commodities?: readonly Commodity[];
  push?: Partial<PushLimits>;
  upload?: Partial<UploadLimits>;
}

/** RFC 9457 problem details: `title` in words, `code` the stable code of the table in ingest-error.ts */
function problem(reply: FastifyReply, code: IngestErrorCode, detail: string, errors?: Array<{ field: string; message: string }>, extra: Record<string, unknown> = {}) {
  const { status, title } = ingestErrorCodes[code];
  return reply.code(status).type('application/problem+json').send({ type: 'about:blank', title, status, detail, code, instance: reply.request.url.split('?')[0], ...(errors ? { errors } : {}), ...extra });
}

/** errors of our own code, which no retry fixes */
const isBug = (e: unknown) => e instanceof RangeError || e instanceof TypeError || e instanceof SyntaxError || e instanceof ReferenceError || (e instanceof HaiDangError && !e.retryable);

function streamOf(s: string): DataStreamName {
  if (!(dataStreams as readonly string[]).includes(s)) throw new IngestError('HD_INGEST_UNKNOWN_STREAM', `no stream "${s}": ${dataStreams.join(', ')}`);
  return s as DataStreamName;
}

/**
 * How numbers enter Hải Đăng from the data sources, mounted at /ingest/v1:
 *  - POST /:stream — one event or an array, authenticated by the source's API key;
 *  - POST /:stream/upload — a CSV or XLSX report (multipart), with a row-level report;
 *  - GET /:stream/template.csv|.xlsx — the report template with Vietnamese headers.
 * Replies come only after the transport has made the events durable.
 */
export async function ingestPlugin(app: FastifyInstance, o: IngestOptions): Promise<void> {
  const pushLimits = { ...defaultPushLimits, ...o.push };
  const uploadLimits = { ...defaultUploadLimits, ...o.upload };
  const publisher = new EventPublisher(o.store, o.transport, o.topics);
  const idempotency = new IdempotencyRecords(o.store);
  const logger = o.logger.child({ component: 'ingest' });

  await app.register(fastifyMultipart, { limits: { fileSize: uploadLimits.maxFileBytes, files: 1, fields: 5, parts: 6 } });

  // JSON as sources send it (a BOM allowed, nesting bounded); anything but JSON and multipart is 415
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser('HD_INGEST_NOT_JSON'));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof IngestError) {
      const errors = Array.isArray(error.context.errors) ? (error.context.errors as Array<{ field: string; message: string }>) : undefined;
      if (typeof error.context.retryAfterSeconds === 'number') reply.header('retry-after', String(error.context.retryAfterSeconds));
      // an upload that failed part way says how many of its rows were stored before
      return problem(reply, error.code, error.message, errors, typeof error.context.accepted === 'number' ? { accepted: error.context.accepted } : {});
    }
    // the JSON parser's refusal, told by its type (its message is for the client)
    if (error instanceof JsonBodyError) return problem(reply, 'HD_INGEST_NOT_JSON', error.message);
    const code = typeof error.code === 'string' ? error.code : '';
    // zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR): a body that says gzip and is not
    if (code.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED') return problem(reply, 'HD_INGEST_BAD_ENCODING', 'the body is not a complete gzip stream; send it gzipped whole, or without Content-Encoding');
    const status = error.statusCode ?? 500;
    if (status === 413) return problem(reply, 'HD_INGEST_TOO_LARGE', error.message);
    if (status === 415) return problem(reply, 'HD_INGEST_UNSUPPORTED', `Content-Type "${String(request.headers['content-type'] ?? '').slice(0, 100)}": push application/json; upload multipart/form-data`);
    if (status === 429) return problem(reply, 'HD_INGEST_RATE_LIMITED', error.message);
    if (status < 500) return problem(reply, 'HD_INGEST_BAD_REQUEST', error.message);
    logger.error({ err: error, url: request.url }, 'ingest request failed');
    // only what a retry can fix is told to retry: a broker or store that did not answer
    if (isBug(error)) return reply.code(500).type('application/problem+json').send({ type: 'about:blank', title: 'Internal error', status: 500, detail: 'the request failed; retrying it will not help — see the server log', code: 'HD_INTERNAL', instance: request.url.split('?')[0] });
    reply.header('retry-after', '5');
    return problem(reply, 'HD_INGEST_NOT_STORED', 'the events could not be made durable; retry with the same Idempotency-Key');
  });

  const throttle = new PushThrottle(pushLimits);
  // pushes and uploads are limited by PushThrottle below, not by the api's per-address limit
  const rateLimit = false;

  const authorise = async (request: FastifyRequest, stream: DataStreamName): Promise<SourceKey> => {
    const wait = await throttle.addressWait(request.ip);
    if (wait) throw new IngestError('HD_INGEST_RATE_LIMITED', `too many failed authentications from this address; retry in ${wait} s`, { retryAfterSeconds: wait });
    let key: SourceKey;
    try {
      key = await o.keys.verify(keyFromHeaders(request.headers));
    } catch (e) {
      if (e instanceof IngestError && e.status === 401) await throttle.failed(request.ip);
      throw e;
    }
    const keyWait = await throttle.spend(key.keyId);
    if (keyWait) throw new IngestError('HD_INGEST_RATE_LIMITED', `this key sent more than ${pushLimits.perKeyPerMinute} requests in a minute; retry in ${keyWait} s`, { retryAfterSeconds: keyWait });
    if (!key.streams.includes(stream)) throw new IngestError('HD_INGEST_STREAM_NOT_ALLOWED', `this key (source "${key.source}") may report ${key.streams.join(', ')}, not ${stream}`);
    return key;
  };
  // the key is checked when the request arrives, before its body is read: a request without a
  // valid key costs no parsing, and an address over its failure limit not even a key lookup
  const verified = new WeakMap<FastifyRequest, SourceKey>();
  const authoriseFirst = async (request: FastifyRequest) => {
    verified.set(request, await authorise(request, streamOf((request.params as { stream: string }).stream)));
  };
  const keyOf = (request: FastifyRequest): SourceKey => {
    const key = verified.get(request);
    if (!key) throw new Error('ingest: the key was not checked before the handler');
    return key;
  };

  app.post<{ Params: { stream: string } }>('/:stream', {
    bodyLimit: pushLimits.maxBodyBytes,
    config: { rateLimit } as Record<string, unknown>,
    onRequest: authoriseFirst,
    schema: { tags: ['ingest'], summary: 'Push one event or an array (API key; Idempotency-Key makes a retry harmless)' },
    // gzip is decoded here, so the body limit counts decoded bytes
    preParsing: async (request, _reply, payload) => {
      const enc = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (enc === 'identity') return payload;
      if (enc !== 'gzip') throw new IngestError('HD_INGEST_UNSUPPORTED', `Content-Encoding "${enc}": send identity or gzip`);
      const gunzip = createGunzip();
      // a broken gzip body errors in zlib; when nothing reads the stream any more (the content
      // type was refused first) that error had no listener and killed the process. Fastify
      // gets it through its own listener while it reads, and answers 400 (see the error handler).
      gunzip.on('error', (err) => request.log.debug({ err }, 'gzip body refused'));
      const counted = gunzip as unknown as typeof payload & { receivedEncodedLength: number };
      counted.receivedEncodedLength = 0;
      payload.on('data', (c: Buffer) => (counted.receivedEncodedLength += c.length));
      payload.pipe(gunzip);
      return counted;
    },
    handler: async (request, reply) => {
      const stream = streamOf(request.params.stream);
      const key = keyOf(request);
      const body = request.body as unknown;
      if (body === null || typeof body !== 'object') throw new IngestError('HD_INGEST_NOT_JSON', 'send one event object or an array of them');
      const items: unknown[] = Array.isArray(body) ? body : [body];
      if (!items.length) throw new IngestError('HD_INGEST_EMPTY', 'the array is empty');
      if (items.length > pushLimits.maxItems) throw new IngestError('HD_INGEST_TOO_LARGE', `${items.length} events > ${pushLimits.maxItems} per request; split them`);
      const allowed = new Set(key.entities);
      const forbidden = items.flatMap((it, index) => {
        const e = it && typeof it === 'object' ? (it as { entity?: unknown }).entity : undefined;
        return typeof e === 'string' && !allowed.has(e) ? [{ field: `${index}.entity`, message: `this key may not report for "${e.slice(0, 64)}"` }] : [];
      });
      if (forbidden.length) throw new IngestError('HD_INGEST_ENTITY_NOT_ALLOWED', `this key (source "${key.source}") may not report for ${forbidden.length} of the entities; nothing was stored`, { errors: forbidden.slice(0, 50) });
      const idemHeader = request.headers['idempotency-key'];
      const idemKey = typeof idemHeader === 'string' ? idemHeader.trim() : undefined;
      if (idemKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idemKey)) throw new IngestError('HD_INGEST_BAD_REQUEST', 'Idempotency-Key: 1–200 visible ASCII characters', { errors: [{ field: 'headers.idempotency-key', message: '1–200 visible ASCII characters' }] });

      const run = async () => {
        const bodyHash = IdempotencyRecords.bodyHash(items);
        if (idemKey) {
          const prior = await idempotency.find(key.source, stream, idemKey);
          if (prior) {
            if (prior.bodyHash !== bodyHash) throw new IngestError('HD_INGEST_IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was used with another body; use a new key for new events');
            return { ...prior.answer, replayed: true };
          }
        }
        const receivedAt = new Date().toISOString();
        const idFor = (i: number) => (idemKey ? idempotentEventId(key.source, stream, idemKey, i) : freshEventId());
        const checked = items.map((it, i) => checkItem(it, i, { stream, source: key.source, receivedAt, idFor, commodities: o.commodities ?? [] }));
        // one id twice in one request: the first is the event, an identical copy a duplicate, another content a conflict
        const firstWith = new Map<string, string>();
        const again = new Map<number, 'duplicate' | 'conflict'>();
        for (const c of checked) {
          if (!c.ok) continue;
          const id = c.event.id.toLowerCase();
          const content = canonical({ ...c.event, id });
          const first = firstWith.get(id);
          if (first === undefined) firstWith.set(id, content);
          else again.set(c.index, first === content ? 'duplicate' : 'conflict');
        }
        const good = checked.flatMap((c) => (c.ok && !again.has(c.index) ? [c.event] : []));
        const sourceChose = (c: Checked) => (items[c.index] as { id?: unknown } | null)?.id !== undefined;
        const published = await publisher.publish(stream, good, new Set(checked.flatMap((c) => (c.ok && !again.has(c.index) && sourceChose(c) ? [c.event.id.toLowerCase()] : []))));
        const { duplicates } = published;
        // an id the source chose may have been stored by another request at the same instant, with other content
        const chosen = checked.flatMap((c) => (c.ok && !again.has(c.index) && sourceChose(c) && !published.conflicts.has(c.event.id.toLowerCase()) && !duplicates.has(c.event.id.toLowerCase()) ? [c.event] : []));
        const conflicts = new Set([...published.conflicts, ...(await publisher.lostToConflicts(stream, chosen))]);
        const results: ItemResult[] = checked.map((c) =>
          !c.ok
            ? { index: c.index, status: 'refused', field: c.field, reason: c.reason }
            : again.get(c.index) === 'conflict'
              ? { index: c.index, status: 'refused', field: `${c.index}.id`, reason: `id ${c.event.id} came earlier in this request with other content; a correction needs a new id` }
              : again.get(c.index) === 'duplicate'
                ? { index: c.index, status: 'accepted', id: c.event.id, duplicate: true as const }
                : conflicts.has(c.event.id.toLowerCase())
              ? { index: c.index, status: 'refused', field: `${c.index}.id`, reason: `id ${c.event.id} is already stored with other content (entity, time, source or numbers); a correction needs a new id` }
              : { index: c.index, status: 'accepted', id: c.event.id, ...(duplicates.has(c.event.id.toLowerCase()) ? { duplicate: true as const } : {}) },
        );
        const accepted = results.filter((r) => r.status === 'accepted').length;
        const status = accepted === items.length ? 202 : accepted === 0 ? 422 : 207;
        const answer = { status, body: { stream, source: key.source, accepted, refused: items.length - accepted, duplicates: duplicates.size, items: results } };
        if (idemKey) await idempotency.save(key.source, stream, idemKey, bodyHash, answer);
        if (accepted) logger.debug({ stream, source: key.source, accepted, duplicates: duplicates.size }, 'pushed events stored');
        return { ...answer, replayed: false };
      };
      const answer = idemKey ? await idempotency.serialised(`${key.source}/${stream}/${idemKey}`, run) : await run();
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(answer.status).send(answer.body);
    },
  });

  app.post<{ Params: { stream: string }; Querystring: { strict?: string } }>('/:stream/upload', {
    config: { rateLimit } as Record<string, unknown>,
    onRequest: authoriseFirst,
    schema: { tags: ['ingest'], summary: 'Upload a CSV or XLSX report (multipart field "file"; ?strict=true stores nothing unless every row is good)' },
    handler: async (request, reply) => {
      const stream = streamOf(request.params.stream);
      const key = keyOf(request);
      const strictText = (request.query as { strict?: string }).strict;
      if (strictText !== undefined && strictText !== 'true' && strictText !== 'false') throw new IngestError('HD_INGEST_BAD_REQUEST', 'strict: true or false', { errors: [{ field: 'querystring.strict', message: 'true or false' }] });
      return handleUpload(request, reply, { stream, key, keyStillValid: () => o.keys.verify(keyFromHeaders(request.headers)), publisher, commodities: o.commodities ?? [], limits: uploadLimits, logger, strict: strictText === 'true' });
    },
  });

  app.get<{ Params: { stream: string; format: string } }>('/:stream/template.:format', {
    schema: { tags: ['ingest'], summary: 'The report template of a stream (Vietnamese headers, one example row): template.csv or template.xlsx' },
    handler: async (request, reply) => {
      const stream = streamOf(request.params.stream);
      const format = request.params.format;
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="haidang-${stream}-template.csv"`).send(csvTemplate(stream));
      if (format === 'xlsx') return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="haidang-${stream}-template.xlsx"`).send(await xlsxTemplate(stream));
      throw new IngestError('HD_INGEST_UNSUPPORTED', 'template.csv or template.xlsx');
    },
  });
}
