import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HaiDangError, type Logger } from '@haidang/stream';

/**
 * RFC 9457 problem details: `title` in words, `errors` names each offending field (e.g.
 * `querystring.step`), `code` the stable code when there is one (HD_…, or the library's).
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

export function problem(reply: FastifyReply, status: number, title: string, detail: string, errors?: Problem['errors'], code?: string): FastifyReply {
  const body: Problem = { type: 'about:blank', title, status, detail, ...(code ? { code } : {}), instance: reply.request.url.split('?')[0], ...(errors ? { errors } : {}) };
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
    if (error instanceof HaiDangError) {
      if (error.status >= 500) logger.error({ err: error }, error.message);
      const retryAfter = error.context.retryAfterSeconds;
      if (error.retriable && typeof retryAfter === 'number') reply.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
      const detail = error.status < 500 ? error.message : error.retriable ? 'the store could not answer; retry later' : 'the request failed; retrying it will not help — see the server log';
      return problem(reply, error.status, titleOf(error.status), detail, undefined, error.code);
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode <= 599 ? error.statusCode : 500;
    if (status >= 500) {
      logger.error({ err: error, url: request.url }, 'request failed');
      return problem(reply, 500, 'Internal error', 'the request failed; see the server log');
    }
    if (status === 415) return problem(reply, 415, titleOf(415), `Content-Type "${String(request.headers['content-type'] ?? '').slice(0, 100)}": send application/json`, undefined, error.code);
    return problem(reply, status, titleOf(status), error.message, undefined, error.code);
  };
}
