import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { errorOf, HaiDangError, isErrorCode, type ErrorCode, type Logger } from '@haidang/stream';

/**
 * RFC 9457 problem details: `title` in words, `errors` names each offending field (e.g.
 * `querystring.step`), `code` the stable code from the catalogue (stream/src/errors.ts).
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  instance?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** the catalogue's code of an answer that names none, by its status */
const codeByStatus: Record<number, ErrorCode> = {
  400: 'HD_API_INVALID_REQUEST',
  401: 'HD_API_UNAUTHENTICATED',
  403: 'HD_API_FORBIDDEN',
  404: 'HD_API_NOT_FOUND',
  409: 'HD_API_CONFLICT',
  413: 'HD_API_TOO_LARGE',
  415: 'HD_API_UNSUPPORTED_MEDIA_TYPE',
  429: 'HD_RATE_LIMITED',
  503: 'HD_API_NOT_HERE',
};
const defaultCode = (status: number): ErrorCode => codeByStatus[status] ?? (status < 500 ? 'HD_API_INVALID_REQUEST' : 'HD_INTERNAL');

/** seconds a client is told to wait after an outage (store or broker) before retrying */
const outageRetryAfterSeconds = 5;

export function problem(reply: FastifyReply, status: number, title: string, detail: string, errors?: Problem['errors'], code?: string): FastifyReply {
  const body: Problem = { type: 'about:blank', title, status, detail, code: isErrorCode(code) ? code : defaultCode(status), instance: reply.request.url.split('?')[0], ...(errors ? { errors } : {}) };
  return reply.code(status).type('application/problem+json').send(body);
}

/** the status's reason phrase: a title in words for errors that bring only a code */
const titleOf = (status: number) => STATUS_CODES[status] ?? 'Request refused';

/** every error the api sends goes through here, so clients see one shape */
export function problemErrorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => {
        // an unknown key (strict objects) is named by the key itself, not by its parent
        const keys = (v.params as { keys?: string[] }).keys ?? [];
        const path = [...v.instancePath.split('/').filter(Boolean), ...keys.slice(0, 1)];
        return { field: [error.validationContext, ...path].filter(Boolean).join('.'), message: v.message ?? 'invalid' };
      });
      return problem(reply, 400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    }
    if (isResponseSerializationError(error)) {
      logger.error({ err: error, url: request.url }, 'response did not match its schema');
      return problem(reply, 500, 'Internal error', 'the response did not match its schema');
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode <= 599 ? error.statusCode : 500;
    if (error instanceof HaiDangError || status >= 500) {
      // ours, or a failure to read as one of ours: a store or broker away is a 503 to retry
      const e = errorOf(error);
      if (e.status >= 500) logger.error({ err: error, url: request.url, code: e.code }, e.message);
      // an error may say how long to wait (HD_STORE_BUSY: the read path's pause); an outage otherwise waits the default
      const retryAfter = typeof e.context.retryAfterSeconds === 'number' ? Math.max(1, Math.ceil(e.context.retryAfterSeconds)) : outageRetryAfterSeconds;
      if (e.status >= 500 && e.retryable) reply.header('retry-after', String(retryAfter));
      const detail = e.status < 500 ? e.message : e.code === 'HD_STORE_UNAVAILABLE' || e.code === 'HD_STORE_BUSY' ? 'the store could not answer; retry later' : e.code === 'HD_TRANSPORT_UNAVAILABLE' ? 'the log (Kafka) could not answer; retry later' : e.retryable ? 'the request failed; retry later' : 'the request failed; retrying it will not help — see the server log';
      return problem(reply, e.status, e.code === 'HD_INTERNAL' ? 'Internal error' : titleOf(e.status), detail, undefined, e.code);
    }
    if (status === 415) return problem(reply, 415, titleOf(415), `Content-Type "${String(request.headers['content-type'] ?? '').slice(0, 100)}": send application/json`, undefined, error.code);
    return problem(reply, status, titleOf(status), error.message, undefined, error.code);
  };
}
