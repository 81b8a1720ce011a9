import { ClickHouseError } from '@clickhouse/client';
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
    ['a message that reads like a row error but carries no code is not taken for one', new Error('Value out of range for UInt8'), 'fatal'],
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
