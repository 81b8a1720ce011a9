import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HaiDangError, type Logger } from '@haidang/stream';

/** RFC 9457 problem details; `errors` names each offending field, e.g. `querystring.step`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: Array<{ field: string; message: string }>;
}

export function problem(reply: FastifyReply, status: number, title: string, detail: string, errors?: Problem['errors']): FastifyReply {
  const body: Problem = { type: 'about:blank', title, status, detail, instance: reply.request.url.split('?')[0], ...(errors ? { errors } : {}) };
  return reply.code(status).type('application/problem+json').send(body);
}

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
      return problem(reply, error.status, error.code, error.status >= 500 ? 'the store could not answer' : error.message);
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      logger.error({ err: error, url: request.url }, 'request failed');
      return problem(reply, status, 'Internal error', 'the request failed; see the server log');
    }
    return problem(reply, status, error.code ?? 'Request refused', error.message);
  };
}
