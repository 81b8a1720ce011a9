import { createServer, type Socket } from 'node:net';
import { ClickHouseError, createClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { HaiDangError } from '../src/errors.ts';
import { classifyInsertFailure } from '../src/store/insert-failure.ts';

/** What the sink does with a failed insert is decided from the error alone: a table of the cases met. */
const ch = (code: string, type: string) => new ClickHouseError({ message: `${type} happened`, code, type });
const sys = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('classifyInsertFailure', () => {
  it.each([
    ['store process gone (connection refused)', sys('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8123'), 'retry'],
    ['store killed mid-request', new Error('socket hang up'), 'retry'],
    ['connection reset, code on the cause', Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } }), 'retry'],
    ['client timeout', new Error('Timeout error.'), 'retry'],
    ['too many parts', ch('252', 'TOO_MANY_PARTS'), 'retry'],
    ['unknown status of insert', ch('319', 'UNKNOWN_STATUS_OF_INSERT'), 'retry'],
    ['a proxy answers 502 with its page', new Error('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'), 'retry'],
    ['a load balancer answers 503', new Error('Service Temporarily Unavailable'), 'retry'],
    ['an empty error body', new Error(''), 'retry'],
    ['our own unavailable error', new HaiDangError('HD_STORE_UNAVAILABLE', 'down'), 'retry'],
    ['rows ClickHouse cannot parse', ch('27', 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'), 'reject'],
    ['a value out of range', ch('321', 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'), 'reject'],
    ['a view cannot compute a row (toUnixTimestamp of 2999-01-01)', ch('407', 'DECIMAL_OVERFLOW'), 'reject'],
    ['a CHECK the row fails', ch('469', 'VIOLATED_CONSTRAINT'), 'reject'],
    ['the code on the cause (chDB error mapped)', Object.assign(new Error('wrapped'), { cause: ch('6', 'CANNOT_PARSE_TEXT') }), 'reject'],
    ['a message that reads like a row error but carries no code is not taken for one (a plain Error: no answer)', new Error('Value out of range for UInt8'), 'retry'],
    ['the connection timed out (a system code)', sys('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:8123'), 'retry'],
    ['an aborted request (AbortSignal)', new DOMException('This operation was aborted', 'AbortError'), 'retry'],
    ['a request past AbortSignal.timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'retry'],
    ['a bug of ours whose message reads like an outage', new TypeError('timeout is not a function'), 'fatal'],
    ['a RangeError of ours', new RangeError('Invalid time value'), 'fatal'],
    ['memory limit', ch('241', 'MEMORY_LIMIT_EXCEEDED'), 'retry'],
    ['access denied', ch('497', 'ACCESS_DENIED'), 'fatal'],
    ['a code this build does not know', ch('9999', 'SOMETHING_NEW'), 'fatal'],
    ['an unknown table', ch('60', 'UNKNOWN_TABLE'), 'fatal'],
    ['a syntax error', ch('62', 'SYNTAX_ERROR'), 'fatal'],
    ['our own fatal error', new HaiDangError('HD_STORE_FATAL', 'schema'), 'fatal'],
  ])('%s → %s', (_case, error, expected) => {
    expect(classifyInsertFailure(error)).toBe(expected);
  });
});

describe('a store that does not answer in time', () => {
  it('the client’s own timeout (a plain Error with no code) is an outage to retry, not a bug', async () => {
    // a ClickHouse that accepts the connection and never answers
    const sockets = new Set<Socket>();
    const hang = createServer((s) => void sockets.add(s));
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const client = createClient({ url: `http://127.0.0.1:${(hang.address() as { port: number }).port}`, request_timeout: 300, log: { level: 127 } });
    try {
      const error = await client.query({ query: 'SELECT 1' }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ClickHouseError);
      expect(classifyInsertFailure(error)).toBe('retry');
    } finally {
      await client.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => hang.close(r));
    }
  });
});
