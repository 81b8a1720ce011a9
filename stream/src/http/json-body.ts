import secureJson from 'secure-json-parse';
import { HaiDangError } from '../errors.ts';

/** deepest nesting a body may have: an event is four levels deep, an array of them five */
export const maxJsonDepth = 32;

/**
 * How far `[` and `{` nest outside strings, counted over the bytes before anything parses
 * them, stopping as soon as `limit` is passed: `[` × 100,000 must not reach JSON.parse, zod or
 * JSON.stringify (whose recursion overflows the stack and used to turn such a body into a
 * 503 "retry").
 */
function nestingOver(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** a request body that says JSON and is not (or is nested too deep): the error type every JSON parser of ours gives */
export class JsonBodyError extends HaiDangError {
  declare readonly code: JsonBodyCode;
  constructor(code: JsonBodyCode, message: string) {
    super(code, message);
    this.name = 'JsonBodyError';
  }
}
/** the api's code, or the ingest routes' (their problems have their own table) */
export type JsonBodyCode = 'HD_BODY_NOT_JSON' | 'HD_INGEST_NOT_JSON';

/**
 * A Fastify content-type parser for JSON bodies: accepts a UTF-8 byte-order mark (Windows
 * tools write one), refuses bodies nested deeper than `maxDepth` and `__proto__` /
 * `constructor.prototype` keys (secure-json-parse, as Fastify's own parser), and names the
 * reason in words. A refusal is a JsonBodyError with `code`, which the error handlers answer
 * by its type (400).
 */
export function jsonBodyParser(code: JsonBodyCode, maxDepth = maxJsonDepth) {
  const refuse = (message: string) => new JsonBodyError(code, message);
  return (_request: unknown, body: Buffer, done: (err: Error | null, value?: unknown) => void): void => {
    let text = body.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!text.trim()) return done(refuse('the body is empty: send JSON'));
    if (nestingOver(text, maxDepth)) return done(refuse(`the JSON is nested deeper than ${maxDepth} levels`));
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (e) {
      done(refuse(`the body is not valid JSON: ${(e as Error).message.slice(0, 200)}`));
    }
  };
}
