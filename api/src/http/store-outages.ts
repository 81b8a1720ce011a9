import type { ClickHouseClient } from '@clickhouse/client';
import { HaiDangError, storeDidNotAnswer } from '@haidang/stream';

/** the client's calls that ask the store something */
const asking = new Set<PropertyKey>(['query', 'insert', 'command', 'exec']);
/** a query's answer, read after the call resolved */
const reading = new Set<PropertyKey>(['json', 'text']);

/**
 * A failure that got no answer from the store (told by its type: stream's `storeDidNotAnswer`)
 * as HD_STORE_UNAVAILABLE, which the api answers 503 with `Retry-After`; ClickHouse's own
 * errors pass as they are, their code says what they are.
 */
function rethrown(error: unknown): never {
  if (error instanceof HaiDangError || !storeDidNotAnswer(error)) throw error;
  throw new HaiDangError('HD_STORE_UNAVAILABLE', `the store did not answer: ${(error as Error).message || (error as Error).name}`, {}, { cause: error });
}

function method(target: object, prop: PropertyKey, wrap: (call: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown): unknown {
  const value: unknown = Reflect.get(target, prop);
  if (typeof value !== 'function') return value;
  const bound = (value as (...args: unknown[]) => unknown).bind(target);
  return wrap(bound);
}

/**
 * The store as the api's routes see it: the same client, whose calls (and the reading of a
 * query's answer) fail with HD_STORE_UNAVAILABLE when the store did not answer — the client's
 * request timeout, an abort, a lost socket — instead of a bare `Error` the api could only call
 * a bug (500 HD_INTERNAL).
 */
export function storeAnsweringOutages(client: ClickHouseClient): ClickHouseClient {
  const answer = (rs: object) =>
    new Proxy(rs, {
      get: (target, prop) => method(target, prop, (call) => (reading.has(prop) ? async (...args) => await (call(...args) as Promise<unknown>).catch(rethrown) : call)),
    });
  return new Proxy(client, {
    get: (target, prop) =>
      method(target, prop, (call) =>
        asking.has(prop)
          ? async (...args) => {
              const result = await (call(...args) as Promise<unknown>).catch(rethrown);
              return prop === 'query' && result && typeof result === 'object' ? answer(result) : result;
            }
          : call,
      ),
  });
}
