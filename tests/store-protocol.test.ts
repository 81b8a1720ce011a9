import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './setup/processes.ts';
import { startStore, type RunningStore } from './setup/store.ts';

/**
 * `haidang store` answering ClickHouse's HTTP interface: the curl lines of ClickHouse's HTTP
 * interface documentation, two clients interleaved that must not see each other's settings,
 * SET, temporary tables or results, sessions, compressed and binary bodies, and the protocol's
 * details (default format, headers, GET read-only, `Ok.`, HEAD, 411).
 */
const sh = promisify(execFile);

let store: RunningStore;
/** runs a documentation line with $CH = the store's URL with credentials */
async function line(cmd: string): Promise<string> {
  const CH = `http://${store.user}:${store.password}@127.0.0.1:${store.port}`;
  const { stdout } = await sh('bash', ['-c', `set -o pipefail; ${cmd}`], { env: { ...process.env, CH }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

interface Raw {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
}
async function http(path: string, init: RequestInit & { auth?: boolean } = {}): Promise<Raw> {
  const headers = new Headers(init.headers);
  if (init.auth !== false) headers.set('Authorization', `Basic ${Buffer.from(`${store.user}:${store.password}`).toString('base64')}`);
  const res = await fetch(`${store.base}${path}`, { ...init, headers });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, text: body.toString('utf8') };
}
const post = (q: string, body: string | Buffer, headers: Record<string, string> = {}) => http(q, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });

beforeAll(async () => {
  store = await startStore('protocol');
});
afterAll(async () => store?.close());

describe('the curl lines of ClickHouse’s HTTP interface documentation', () => {
  const cases: [string, string][] = [
    [`curl -sS "$CH/"`, 'Ok.\n'],
    [`curl -sS "$CH/ping"`, 'Ok.\n'],
    [`curl -sS "$CH/?query=SELECT%201"`, '1\n'],
    [`echo 'SELECT 1' | curl -sS "$CH/" --data-binary @-`, '1\n'],
    [`echo 'SELECT 1 FORMAT Pretty' | curl -sS "$CH/?" --data-binary @- | tr -d ' \\n' | grep -c 1`, '1\n'],
    [`echo 'CREATE TABLE doc_t (a UInt8) ENGINE = Memory' | curl -sS "$CH/" --data-binary @-`, ''],
    [`echo 'INSERT INTO doc_t VALUES (1),(2),(3)' | curl -sS "$CH/" --data-binary @-`, ''],
    [`echo '(4),(5),(6)' | curl -sS "$CH/?query=INSERT%20INTO%20doc_t%20VALUES" --data-binary @-`, ''],
    [`echo -ne '10\\n11\\n12\\n' | curl -sS "$CH/?query=INSERT%20INTO%20doc_t%20FORMAT%20TabSeparated" --data-binary @-`, ''],
    [`curl -sS "$CH/?query=SELECT%20a%20FROM%20doc_t%20ORDER%20BY%20a"`, '1\n2\n3\n4\n5\n6\n10\n11\n12\n'],
    [`echo 'DROP TABLE doc_t' | curl -sS "$CH/" --data-binary @-`, ''],
    [`echo "SELECT 1" | gzip -c | curl -sS --data-binary @- -H 'Content-Encoding: gzip' "$CH/"`, '1\n'],
    [`curl -sS "$CH/?enable_http_compression=1" -H 'Accept-Encoding: gzip' -d 'SELECT number FROM system.numbers LIMIT 3' | gunzip`, '0\n1\n2\n'],
    [`curl -sS "$CH/?param_id=2&param_phrase=test" -d "SELECT {id:UInt8} AS id, {phrase:String} AS phrase"`, '2\ttest\n'],
    [`curl -sS "$CH/?param_arg1=abc%5C%09123" -d "SELECT splitByChar('\\t', {arg1:String})"`, "['abc','123']\n"],
    [`curl -sS "$CH/?param_s=it%27s" -d "SELECT {s:String} AS s FORMAT JSONEachRow"`, '{"s":"it\'s"}\n'],
    [`echo 'SELECT 1' | curl -sS -H "X-ClickHouse-User: $(echo $CH | sed 's#http://\\([^:]*\\):.*#\\1#')" -H "X-ClickHouse-Key: $(echo $CH | sed 's#http://[^:]*:\\([^@]*\\)@.*#\\1#')" "http://$(echo $CH | sed 's#.*@##')/" -d @-`, '1\n'],
    [`curl -sS "$CH/?query=SELECT+number+FROM+numbers(3)&default_format=JSONCompactEachRow"`, '[0]\n[1]\n[2]\n'],
    [`curl -sS "$CH/?query=SELECT+currentDatabase()&database=system"`, 'system\n'],
    [`curl -sS "$CH/?query=SELECT+currentDatabase()" -H 'X-ClickHouse-Database: system'`, 'system\n'],
    [`curl -sS "$CH/?query=SELECT+1+AS+x" -H 'X-ClickHouse-Format: JSONEachRow'`, '{"x":1}\n'],
    [`curl -sS "$CH/?max_result_rows=3&result_overflow_mode=throw&query=SELECT+number+FROM+numbers(10)" | grep -o 'Code: 396'`, 'Code: 396\n'],
    [`curl -sS "$CH/?query=SELECT+count()+FROM+numbers(10)"`, '10\n'],
    // external data: a table sent with the query (multipart), by structure or by types
    [`printf 'a\\t1\\nb\\t2\\nc\\t2\\n' | curl -sS -F 'ext=@-;' "$CH/?query=SELECT+v,+count()+FROM+ext+GROUP+BY+v+ORDER+BY+v&ext_structure=k+String,+v+UInt8"`, '1\t1\n2\t2\n'],
    [`printf '3\\n5\\n' | curl -sS -F 'wanted=@-;' "$CH/?query=WITH+2+AS+two+SELECT+number*two+FROM+numbers(6)+WHERE+number+IN+wanted&wanted_types=UInt64"`, '6\n10\n'],
  ];
  for (const [cmd, want] of cases) {
    it(cmd.replace(/\s+/g, ' ').slice(0, 150), async () => {
      expect(await line(cmd)).toBe(want);
    });
  }
});

describe('external data', () => {
  const form = (parts: Record<string, string>) => {
    const f = new FormData();
    for (const [name, data] of Object.entries(parts)) f.append(name, new Blob([data]), `${name}.tsv`);
    return f;
  };
  const auth = () => ({ Authorization: `Basic ${Buffer.from(`${store.user}:${store.password}`).toString('base64')}` });
  it('hides a stored table of the same name, takes two tables, and leaves no table behind', async () => {
    await post('/', 'CREATE TABLE ext_a (n UInt8) ENGINE = Memory');
    await post('/', 'INSERT INTO ext_a VALUES (100)');
    const ok = await fetch(`${store.base}/?query=${encodeURIComponent('SELECT a.n, b._2 FROM ext_a AS a JOIN ext_b AS b ON a.n = b._1 ORDER BY a.n')}&ext_a_structure=n+UInt8&ext_b_types=UInt8,+String`, { method: 'POST', body: form({ ext_a: '1\n2\n', ext_b: '1\tone\n2\ttwo\n' }), headers: auth() });
    expect(await ok.text()).toBe('1\tone\n2\ttwo\n');
    expect((await post('/', 'SELECT n FROM ext_a')).text).toBe('100\n');
    expect((await post('/', "SELECT count() FROM system.tables WHERE name = 'ext_b'")).text).toBe('0\n');
  });
  it('refuses a table without a structure (36) and a statement other than a SELECT (48), with 400', async () => {
    const none = await fetch(`${store.base}/?query=SELECT+*+FROM+t`, { method: 'POST', body: form({ t: '1\n' }), headers: auth() });
    expect([none.status, none.headers.get('x-clickhouse-exception-code')]).toEqual([400, '36']);
    const insert = await fetch(`${store.base}/?query=${encodeURIComponent('INSERT INTO ext_a SELECT n FROM t')}&t_structure=n+UInt8`, { method: 'POST', body: form({ t: '1\n' }), headers: auth() });
    expect([insert.status, insert.headers.get('x-clickhouse-exception-code')]).toEqual([400, '48']);
  });
});

describe("the store's host is out of reach, to curl with the full account", () => {
  // chDB is clickhouse-local: each of these read a file of the machine, wrote one, or reached the
  // network before the gateway refused them; ClickHouse's server fences them with user_files_path,
  // INTO OUTFILE refused over HTTP, and grants
  const leak = join(tempDir('host-access'), 'leak.txt');
  const refused: [string, string, string?][] = [
    ['SELECT file(\'/etc/hostname\')', '497'],
    ['SELECT count() FROM file(\'/etc/passwd\', LineAsString)', '497'],
    ['SELECT count() FROM `fi\\x6ce`(\'/etc/passwd\', LineAsString)', '497'],
    ['SELECT count() FROM \'/etc/passwd\'', '497'],
    ['SELECT count() FROM "/etc/passwd"', '497'],
    ['SELECT count() FROM system.one AS a, \'/etc/pass*\'', '497'],
    ['DESCRIBE TABLE \'/etc/passwd\'', '497'],
    ['SELECT count() FROM {t:Identifier}', '497', 'param_t=/etc/passwd'],
    ['SELECT * FROM url(\'http://127.0.0.1:9/\', LineAsString)', '497'],
    ['CREATE DATABASE host_fs ENGINE = Filesystem(\'/etc\')', '497'],
    ['CREATE TABLE host_f (a String) ENGINE = File(TSV, \'/etc/passwd\')', '497'],
    ['SELECT 1 FORMAT Template', '497', 'format_template_row=/etc/passwd'],
    // ClickHouse's parser reads the text first: a heredoc, a Unicode space or a comment hides nothing
    ["SELECT $$'$$ AS x, * FROM file($p$/etc/hostname$p$, $f$LineAsString$f$) -- '", '497'],
    ["SELECT * FROM file\u00a0('/etc/hostname', 'LineAsString')", '497'],
    ["DESC TABLE file('/etc/passwd', 'TSVWithNames')", '497'],
    ["SELECT * FROM system.one AS a JOIN system.one AS b USING (dummy), '/etc/hostname'", '497'],
    ['CREATE DATABASE host_fs2 ENGINE Filesystem', '497'],
    ["SELECT 1 FORMAT Template SETTINGS \"format_template_row\" = '/etc/hostname'", '497'],
    ["SELECT * FROM eval('SELECT 1') SETTINGS allow_experimental_eval_table_function = 1", '497'],
    ['SELECT 1', '497', `input_format_record_errors_file_path=${leak}`],
    // a table's name given as a string is a path in clickhouse-local's default database
    ["SELECT * FROM loop('default', '/etc/passwd') LIMIT 2", '497'],
    ["CREATE TABLE host_alias ENGINE = Alias('/etc/hostname')", '497'],
    ["SELECT count() FROM (system.one, '/etc/passwd')", '497'],
    ["SELECT * FROM mergeTreeAnalyzeIndexes('default', '/etc/hostname')", '497'],
    ['CREATE TABLE host_qr (query String) ENGINE = QueryRunner', '497'],
    // round 4: a relative folder moved in, settings that name a table or hold SQL, Kusto, AI functions
    ["ATTACH TABLE host_at FROM 'stream' (x String) ENGINE = Log", '497'],
    ['SELECT *', '497', 'implicit_table_at_top_level=/etc/hostname'],
    ["SELECT 1 SETTINGS additional_result_filter = 'throwIf(1, file(''/etc/hostname''))'", '497'],
    ['print c = 1', '497', 'allow_experimental_kusto_dialect=1&dialect=kusto'],
    ["SELECT aiGenerate('hello')", '497'],
    ["CREATE TABLE host_ct AS mergeTreeAnalyzeIndexes('default', '/etc/hostname')", '497'],
    // round 5: an alias spelled like a clause, a boolean setting without '=', a call after TO, the library bridge
    ["SELECT * FROM numbers(1) AS values, '/etc/hostname'", '497'],
    ["INSERT INTO host_v SETTINGS input_format_values_interpret_expressions VALUES (file('/etc/hostname'))", '497'],
    ["SELECT number FROM numbers(1) ORDER BY number WITH FILL TO file('/etc/hostname')", '497'],
    ['SYSTEM RELOAD MODELS', '497'],
    // round 6: a subquery inside SHOW … WHERE
    ["SHOW TABLES WHERE toUInt8((SELECT groupArray(toString(tuple(*))) FROM numbers(1) AS values, '/etc/hostname')[1]) = 0", '497'],
    // round 7: a setting named limit opened the SETTINGS list to the rest
    ["SELECT * SETTINGS limit = 10, implicit_table_at_top_level = '/etc/hostname'", '497'],
    // round 8: a clause word as a column inside JOIN … ON, a path as a String parameter
    ["SELECT * FROM (SELECT 1 AS x, 2 AS limit) AS a JOIN (SELECT 1 AS x) AS b ON a.x = b.x AND limit = 2, mergeTreeTextIndex('default', {p:String}, 'i') AS c", '497', 'param_p=/etc/hostname'],
    // a fail point that ends the process
    ['SYSTEM ENABLE FAILPOINT terminate_with_exception', '497'],
    // round 9: a slash made by a `\x` escape whose digits are not hex, and SETTINGS hidden in an INSERT's data
    ["SELECT * FROM '\\x3getc\\x3ghostname'", '497'],
    ['INSERT INTO host_v FORMAT CSV SETTINGS input_format_allow_errors_num = 1\n1\n', '497', 'allow_settings_after_format_in_insert=1'],
    // round 10: a column list is SQL, and its DEFAULT runs
    ["SELECT * FROM format(JSONEachRow, 'a String DEFAULT file(''/etc/hostname'')', '{}')", '497'],
    ["SELECT * FROM format(JSONEachRow, {s:String}, '{}')", '497', "param_s=a%20String%20DEFAULT%20file('/etc/hostname')"],
    // round 11: the column list named by a WITH alias (also over GET, whose readonly=2 does not stop file())
    ["WITH 'a String, b String DEFAULT file(concat(char(47),''etc'',char(47),''hostname''))' AS s SELECT * FROM format(CSV, s, 'x,')", '497'],
    // round 12: a scalar function that evaluates a column list's DEFAULT (the file came back in its error)
    ["SELECT structureToProtobufSchema('a UInt8 DEFAULT toUInt8(file(concat(char(47),''etc'',char(47),''hostname'')))')", '497'],
    // round 13: an aggregate function given as a string runs its parameters, a subquery too
    ["SELECT arrayReduce('groupConcat((SELECT any(line) FROM file(concat(char(47),''etc'',char(47),''hostname''), LineAsString)))', ['a','b'])", '497'],
    [`SELECT 1 INTO OUTFILE '${leak}'`, '358'],
    [`INSERT INTO FUNCTION file('${leak}', TSV) SELECT 1`, '497'],
  ];
  it.each(refused)('%s → 403 with code %s', async (sql, code, query) => {
    const out = await line(`curl -sS -o /dev/null -D - "$CH/?${query ?? ''}" --data-binary @- <<'SQL'\n${sql}\nSQL`);
    expect(out).toMatch(/^HTTP\/1\.1 403/);
    expect(out).toContain(`X-ClickHouse-Exception-Code: ${code}`);
    expect(existsSync(leak)).toBe(false);
  });
  it("an INSERT's VALUES are literals: a function there is refused by the parser, not run", async () => {
    await post('/', 'CREATE TABLE host_loot (s String) ENGINE = Memory');
    const r = await post('/', "INSERT INTO host_loot VALUES (file('/etc/hostname'))");
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect((await post('/', 'SELECT count() FROM host_loot')).text).toBe('0\n');
  });
  it('PARALLEL WITH is a second statement: refused (62) before either runs', async () => {
    const r = await post('/', "SET max_threads = 1 PARALLEL WITH CREATE TABLE par_leak ENGINE = Memory AS SELECT * FROM numbers(1) AS a JOIN (SELECT 0 AS having) AS b ON having + 0 = a.number, '/etc/hostname' AS c");
    expect([r.status, r.headers.get('x-clickhouse-exception-code')]).toEqual([400, '62']);
    expect((await post('/', "EXISTS TABLE par_leak")).text).toBe('0\n');
  });
  it("a statement after VALUES data is data, never run: in the body, or with the INSERT in the URL", async () => {
    await post('/', 'CREATE TABLE host_semi (a UInt8) ENGINE = Memory');
    const after = `INSERT INTO FUNCTION file('${leak}', 'CSV') SELECT 42`;
    for (const [q, body] of [['/', `INSERT INTO host_semi VALUES (5); ${after}`], ['/?query=INSERT%20INTO%20host_semi%20VALUES', `(6); ${after}`], ['/', `INSERT INTO host_semi FORMAT Values (7)\n; ${after}`]] as const) {
      const r = await post(q, body);
      expect(r.status, body).toBeLessThan(500);
      expect(existsSync(leak), body).toBe(false);
    }
    // the rows before the semicolon are stored as ClickHouse stores them, or refused whole: never half run
    expect(Number((await post('/', 'SELECT count() FROM host_semi')).text)).toBeLessThanOrEqual(3);
  });
  it('a session cannot name a table with a path through SET param_, and a format name cannot carry SQL', async () => {
    const set = await post('/?session_id=host-param', "SET param_t = '/etc/hostname'");
    expect([set.status, set.headers.get('x-clickhouse-exception-code')]).toEqual([403, '497']);
    await post('/', 'CREATE TABLE host_fmt (s String) ENGINE = Memory');
    const injected = await post('/', 'INSERT INTO host_fmt FORMAT "CSV; INSERT INTO host_fmt SELECT 1"\nx\n');
    expect([injected.status, injected.headers.get('x-clickhouse-exception-code')]).toEqual([400, '73']);
    expect((await post('/', 'SELECT count() FROM host_fmt')).text).toBe('0\n');
  });
  it('a table named values is a name: what follows it is still read as SQL and checked', async () => {
    await post('/', 'CREATE TABLE values (s String) ENGINE = Memory');
    const r = await post('/', "INSERT INTO values SELECT * FROM file('/etc/hostname', 'RawBLOB')");
    expect([r.status, r.headers.get('x-clickhouse-exception-code')]).toEqual([403, '497']);
    expect((await post('/', 'INSERT INTO values VALUES (\'kept\')')).status).toBe(200);
    expect((await post('/', 'SELECT s FROM values')).text).toBe('kept\n');
    await post('/', 'DROP TABLE values');
  });
  it('an external table whose structure carries an expression is refused (36, 400)', async () => {
    const out = await line(`printf '{"a":"x"}\\n' | curl -sS -o /dev/null -D - -F 'ext=@-;' "$CH/?query=SELECT+*+FROM+ext&ext_structure=a+String,+b+String+DEFAULT+file('/etc/hostname')&ext_format=JSONEachRow"`);
    expect(out).toMatch(/^HTTP\/1\.1 400/);
    expect(out).toContain('X-ClickHouse-Exception-Code: 36');
  });
  it('an external table whose quoted names hide a DEFAULT is refused too (36, 400)', async () => {
    const structure = encodeURIComponent(`a Tuple("'" String) DEFAULT tuple(file('/etc/hostname', '(\\''))`);
    const out = await line(`printf '{}\\n' | curl -sS -o /dev/null -D - -F 'ext=@-;' "$CH/?query=SELECT+*+FROM+ext&ext_format=JSONEachRow&ext_structure=${structure}"`);
    expect(out).toMatch(/^HTTP\/1\.1 400/);
    expect(out).toContain('X-ClickHouse-Exception-Code: 36');
  });
  it('a bare name that is no table finds no file: the store started in the repository, whose package.json stays unread', async () => {
    expect(await line(`curl -sS "$CH/" -d 'SELECT count() FROM \`package.json\`' | grep -o 'Code: 60'`)).toBe('Code: 60\n');
  });
  it('strings and names with a slash that name no file still work', async () => {
    expect((await post('/', "SELECT concat('a', '/b'), '/ok' AS s, 'x/y' IN ('x/y')")).text).toBe('a/b\t/ok\t1\n');
  });
});

describe('each request is its own world', () => {
  it('two clients interleaved: one’s URL settings, SET, database, temporary tables and failed multi-statement never reach the other', async () => {
    const a = (q: string, qs = '') => post(`/?${qs}`, q);
    const b = (q: string) => post('/', q);
    // A: settings in the URL that would break everyone
    expect((await a('SELECT number FROM numbers(10)', 'max_result_rows=3&result_overflow_mode=throw')).headers.get('x-clickhouse-exception-code')).toBe('396');
    expect((await b('SELECT count() FROM (SELECT number FROM numbers(10))')).text).toBe('10\n');
    // A: SET — ClickHouse refuses a second statement, so a lone SET lasts for its own request
    expect((await a('SET max_result_rows = 3')).status).toBe(200);
    expect((await b("SELECT getSetting('max_result_rows')")).text).toBe('0\n');
    // A: a failed multi-statement request is refused before running; B gets only its answer
    const multi = await a('SELECT 1; SELECT 2');
    expect(multi.status).toBe(400);
    expect(multi.headers.get('x-clickhouse-exception-code')).toBe('62');
    expect(multi.text).toMatch(/Multi-statements are not allowed/);
    expect((await b('SELECT 42')).text).toBe('42\n');
    // A: a temporary table and a database, B sees neither
    expect((await a('CREATE TEMPORARY TABLE mine (x UInt8) ENGINE = Memory')).status).toBe(200);
    expect((await b('SELECT * FROM mine')).headers.get('x-clickhouse-exception-code')).toBe('60');
    expect((await a('SELECT currentDatabase()', 'database=system')).text).toBe('system\n');
    expect((await b('SELECT currentDatabase()')).text).toBe('default\n');
    // at the same time: A's limit stays A's while B reads a million rows
    const [ra, rb] = await Promise.all([a('SELECT number FROM numbers(1000)', 'max_result_rows=5&result_overflow_mode=throw'), b('SELECT number FROM numbers(1000000)')]);
    expect(ra.headers.get('x-clickhouse-exception-code')).toBe('396');
    expect(rb.text.split('\n').length - 1).toBe(1_000_000);
  });

  it('session_id keeps SET and temporary tables for that session only, one query at a time (373), session_check (372)', async () => {
    const s1 = (q: string, extra = '') => post(`/?session_id=s1${extra}`, q);
    expect((await s1('SET max_result_rows = 3')).status).toBe(200);
    expect((await s1('CREATE TEMPORARY TABLE t1 (x UInt8)')).status).toBe(200);
    expect((await s1('INSERT INTO t1 VALUES (7)')).status).toBe(200);
    expect((await s1("SELECT getSetting('max_result_rows'), (SELECT sum(x) FROM t1)")).text).toBe('3\t7\n');
    // a URL setting in a session holds for that request only
    expect((await s1("SELECT getSetting('max_result_rows')", '&max_result_rows=9')).text).toBe('9\n');
    expect((await s1("SELECT getSetting('max_result_rows')")).text).toBe('3\n');
    // another session and no session see none of it
    expect((await post('/?session_id=s2', "SELECT getSetting('max_result_rows')")).text).toBe('0\n');
    expect((await post('/?session_id=s2', 'SELECT * FROM t1')).headers.get('x-clickhouse-exception-code')).toBe('60');
    expect((await post('/', "SELECT getSetting('max_result_rows')")).text).toBe('0\n');
    // one query at a time per session
    // (the first holds the session for 3 s; the second is sent once the first has been received)
    const slow = s1('SELECT sum(sleepEachRow(1)) FROM numbers(3) SETTINGS max_block_size = 1, max_result_rows = 0');
    await new Promise((r) => setTimeout(r, 500));
    const second = await s1('SELECT 1');
    expect(second.headers.get('x-clickhouse-exception-code')).toBe('373');
    expect((await slow).text).toBe('0\n');
    const missing = await post('/?session_id=never-made&session_check=1', 'SELECT 1');
    expect(missing.headers.get('x-clickhouse-exception-code')).toBe('372');
  });

  it('a GET in a session reads and stays read-only without making the session read-only for its next POST', async () => {
    expect((await post('/?session_id=s3', 'CREATE TABLE s3t (x UInt8) ENGINE = Memory')).status).toBe(200);
    expect((await http('/?session_id=s3&query=SELECT%20count()%20FROM%20s3t')).text).toBe('0\n');
    expect((await http('/?session_id=s3&query=DROP%20TABLE%20s3t')).headers.get('x-clickhouse-exception-code')).toBe('164');
    // an INSERT that starts with WITH is still an INSERT
    expect((await http(`/?session_id=s3&query=${encodeURIComponent('WITH 9 AS x INSERT INTO s3t SELECT x')}`)).headers.get('x-clickhouse-exception-code')).toBe('164');
    expect((await post('/?session_id=s3', 'INSERT INTO s3t VALUES (1)')).status).toBe(200);
    expect((await http('/?session_id=s3&query=SELECT%20count()%20FROM%20s3t')).text).toBe('1\n');
  });
});

describe('never lose an insert silently', () => {
  beforeAll(async () => {
    await post('/', 'CREATE TABLE ins (id UInt32, s String) ENGINE = MergeTree ORDER BY id');
  });
  const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => `${from + i}\trow ${from + i}\n`).join('');
  const count = async () => Number((await post('/', 'SELECT count() FROM ins')).text);

  it('gzip, deflate, br, zstd and lz4 bodies are decoded; X-ClickHouse-Summary counts the rows written', async () => {
    const { compress: zstd } = await import('@mongodb-js/zstd');
    const { compressFrameSync } = await import('lz4-napi');
    const encoders: [string, (b: Buffer) => Buffer | Promise<Buffer>][] = [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
      ['zstd', (b) => zstd(b, 3)],
      ['lz4', compressFrameSync],
    ];
    let from = 0;
    for (const [name, encode] of encoders) {
      const before = await count();
      const r = await post('/?query=INSERT%20INTO%20ins%20FORMAT%20TabSeparated', await encode(Buffer.from(rows(from, 1000))), { 'Content-Encoding': name });
      expect(r.status, `${name}: ${r.text}`).toBe(200);
      expect(JSON.parse(r.headers.get('x-clickhouse-summary')!).written_rows, name).toBe('1000');
      expect(await count(), name).toBe(before + 1000);
      from += 1000;
    }
  });

  it('a body it cannot decode, or in an encoding it does not know, fails with a ClickHouse code — never 200', async () => {
    const before = await count();
    const bad = await post('/?query=INSERT%20INTO%20ins%20FORMAT%20TabSeparated', Buffer.from(rows(90_000, 10)), { 'Content-Encoding': 'zstd' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-clickhouse-exception-code')).toBe('271');
    const unknown = await post('/?query=INSERT%20INTO%20ins%20FORMAT%20TabSeparated', Buffer.from(rows(90_000, 10)), { 'Content-Encoding': 'snappy-ish' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-clickhouse-exception-code')).toBe('36');
    expect(await count()).toBe(before);
  });

  it('binary formats go to the engine as bytes: Native, RowBinary, Parquet and Arrow round trips', async () => {
    for (const format of ['Native', 'RowBinary', 'Parquet', 'Arrow', 'ArrowStream']) {
      await post('/', `CREATE TABLE bin_${format} (id UInt32, s String) ENGINE = MergeTree ORDER BY id`);
      const out = await post('/', `SELECT number::UInt32 AS id, concat('v', toString(number), '\\n\\n') AS s FROM numbers(20000) FORMAT ${format}`);
      expect(out.headers.get('content-type'), format).toBe('application/octet-stream');
      const back = await post(`/?query=INSERT%20INTO%20bin_${format}%20FORMAT%20${format}`, out.body);
      expect(back.status, `${format}: ${back.text}`).toBe(200);
      expect(JSON.parse(back.headers.get('x-clickhouse-summary')!).written_rows, format).toBe('20000');
      expect((await post('/', `SELECT count(), sum(id), max(s) FROM bin_${format}`)).text, format).toBe('20000\t199990000\tv9999\\n\\n\n');
    }
  });

  it('a TabSeparated row equal to the column names is data, not a header', async () => {
    await post('/', 'CREATE TABLE hdr (id String, s String) ENGINE = Memory');
    await post('/?query=INSERT%20INTO%20hdr%20FORMAT%20TabSeparated', 'id\ts\nx\ty\n');
    expect((await post('/', 'SELECT count() FROM hdr')).text).toBe('2\n');
  });
});

describe('protocol details', () => {
  it('TabSeparated by default, with Content-Type, X-ClickHouse-Format, -Timezone, -Query-Id and -Summary headers', async () => {
    const r = await http('/?query=SELECT%201,2&query_id=my-query');
    expect(r.text).toBe('1\t2\n');
    expect(r.headers.get('content-type')).toBe('text/tab-separated-values; charset=UTF-8');
    expect(r.headers.get('x-clickhouse-format')).toBe('TabSeparated');
    expect(r.headers.get('x-clickhouse-timezone')).toBeTruthy();
    expect(r.headers.get('x-clickhouse-query-id')).toBe('my-query');
    expect(JSON.parse(r.headers.get('x-clickhouse-summary')!)).toMatchObject({ result_rows: '1' });
    expect((await http('/?query=SELECT%201%20FORMAT%20JSON')).headers.get('content-type')).toBe('application/json; charset=UTF-8');
  });

  it('GET is read-only (READONLY, 164, 403), POST is not', async () => {
    const r = await http('/?query=CREATE%20TABLE%20via_get%20(x%20UInt8)%20ENGINE%20=%20Memory');
    expect([r.status, r.headers.get('x-clickhouse-exception-code')]).toEqual([403, '164']);
    // statements chDB's readonly mode lets through (the ninth round): a read-only request reads, nothing else
    for (const q of ['KILL QUERY WHERE 1 SYNC', 'UNDROP TABLE via_get', "ALTER DATABASE default MODIFY COMMENT 'x'", 'SYSTEM FLUSH LOGS']) {
      const k = await http(`/?query=${encodeURIComponent(q)}`);
      expect([k.status, k.headers.get('x-clickhouse-exception-code')], q).toEqual([403, '164']);
      const ro = await post(`/?readonly=1&query=${encodeURIComponent(q)}`, '');
      expect([ro.status, ro.headers.get('x-clickhouse-exception-code')], q).toEqual([403, '164']);
    }
    expect((await post('/?query=CREATE%20TABLE%20via_post%20(x%20UInt8)%20ENGINE%20=%20Memory', '')).status).toBe(200);
  });

  it('a slow streamed query holds no other request: /ping and a read answer while it runs (the ninth round froze the store 20 s)', async () => {
    const order: string[] = [];
    // a scalar subquery runs before the first block, which chDB's StreamQuery waits for on the thread that calls it
    const slow = http(`/?query=${encodeURIComponent('SELECT (SELECT sum(sleepEachRow(1)) FROM numbers(3)) AS s, number FROM numbers(3)')}`).then((r) => {
      order.push(`slow ${r.status} ${r.text.split('\n')[0]}`);
    });
    await new Promise((ok) => setTimeout(ok, 300));
    const ping = await http('/ping', { auth: false });
    order.push(`ping ${ping.status}`);
    const read = await http('/?query=SELECT%2042');
    order.push(`read ${read.text.trim()}`);
    await slow;
    expect(order).toEqual(['ping 200', 'read 42', 'slow 200 0\t0']);
  });

  it('six slow statements at once leave threads for the rest: a read answers while they run (the tenth round: four held every insert)', async () => {
    const order: string[] = [];
    const slow = Array.from({ length: 6 }, (_, i) =>
      http(`/?wait_end_of_query=1&query=${encodeURIComponent('SELECT sum(sleepEachRow(1)) FROM numbers(2)')}`).then((r) => {
        order.push(`slow ${i} ${r.status}`);
      }),
    );
    await new Promise((ok) => setTimeout(ok, 300));
    const quick = await http(`/?wait_end_of_query=1&query=${encodeURIComponent('SELECT 42')}`);
    order.push(`quick ${quick.text.trim()}`);
    await Promise.all(slow);
    expect(order[0]).toBe('quick 42');
    expect(order).toHaveLength(7);
  });

  it('GET / and /replicas_status answer Ok., HEAD answers 200 with no body, POST without a length is 411', async () => {
    expect((await http('/', { auth: false })).text).toBe('Ok.\n');
    expect((await http('/replicas_status', { auth: false })).text).toBe('Ok.\n');
    const head = await http('/', { method: 'HEAD', auth: false });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const out = await line(`curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Length:' -H 'Transfer-Encoding:' "$CH/?query=SELECT%201"`);
    expect(out).toBe('411');
  });

  it('an answer sent whole (wait_end_of_query) is computed off the event loop: the store keeps answering meanwhile', async () => {
    // format() parses its data while the query is planned, which chDB's streaming start runs on
    // the calling thread (a processor's id lookup is such a query): 2,000,000 rows, ~14 MB
    const q = `SELECT count() FROM format(TabSeparated, 'x UInt64', '${Array.from({ length: 2_000_000 }, (_, i) => i).join('\\n')}')`;
    const t0 = performance.now();
    let done = false;
    const slow = post(`/?wait_end_of_query=1&max_query_size=${q.length * 2}`, q).then((r) => {
      done = true;
      return { text: r.text, ms: performance.now() - t0 };
    });
    // the longest a /ping waited while it ran: before, most of the query (587 of 855 ms here)
    let longestPing = 0;
    while (!done) {
      const p0 = performance.now();
      expect((await http('/ping', { auth: false })).text).toBe('Ok.\n');
      longestPing = Math.max(longestPing, performance.now() - p0);
      await new Promise((r) => setTimeout(r, 5));
    }
    const answer = await slow;
    expect(answer.text).toBe('2000000\n');
    expect(longestPing).toBeLessThan(answer.ms / 2);
  });

  it('a query in the URL with a whitespace-only body still runs', async () => {
    expect((await post('/?query=SELECT%205', '  \n')).text).toBe('5\n');
  });

  it('a wrong password is refused with code 516 by every way of giving it', async () => {
    expect((await http('/?query=SELECT%201', { auth: false, headers: { Authorization: `Basic ${Buffer.from(`${store.user}:nope`).toString('base64')}` } })).headers.get('x-clickhouse-exception-code')).toBe('516');
    expect((await http('/?query=SELECT%201', { auth: false, headers: { 'X-ClickHouse-User': store.user, 'X-ClickHouse-Key': 'nope' } })).headers.get('x-clickhouse-exception-code')).toBe('516');
    // a broken %-escape in a Basic credential is a wrong password too (it was a 500, URI malformed)
    const broken = await http('/?query=SELECT%201', { auth: false, headers: { Authorization: `Basic ${Buffer.from(`${store.user}:%E0%A4%A`).toString('base64')}` } });
    expect([broken.status, broken.headers.get('x-clickhouse-exception-code')]).toEqual([403, '516']);
    expect((await http(`/?query=SELECT%201&user=${store.user}&password=nope`, { auth: false })).headers.get('x-clickhouse-exception-code')).toBe('516');
  });
});
