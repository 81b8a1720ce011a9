import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/store/gateway/engine.ts';
import { parserOf, refuseColumnExpressions, refuseHostAccess, refuseHostSettings } from '../src/store/gateway/host-access.ts';
import type { HttpError } from '../src/store/gateway/http-error.ts';

// ClickHouse's own parser, as the gateway asks it (formatQuery)
const dir = mkdtempSync(join(tmpdir(), 'haidang-host-access-'));
const engine = new Engine(dir);
afterAll(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});
const parser = parserOf(engine);
async function codeOf(sql: string, params: Record<string, string> = {}): Promise<number> {
  try {
    await refuseHostAccess(sql, params, parser);
    return 0;
  } catch (e) {
    return (e as HttpError).code;
  }
}
const nbsp = '\u00a0';

describe('what the gateway refuses before chDB runs it', () => {
  it.each([
    "SELECT file('/etc/hostname')",
    "SELECT * FROM FILE ('x')",
    "SELECT * FROM s3('https://bucket/x.csv')",
    "SELECT * FROM remoteSecure('h:9440', db.t)",
    "SELECT * FROM mysql('h', 'db', 't', 'u', 'p')",
    "SELECT * FROM executable('run.sh', TSV, 'x String')",
    "SELECT * FROM eval('SELECT 1')",
    "CREATE TABLE t AS url('http://x/', CSV)",
    "CREATE DICTIONARY d (k UInt64, v String) PRIMARY KEY k SOURCE(FILE(PATH '/etc/passwd' FORMAT TSV)) LAYOUT(FLAT()) LIFETIME(0)",
    'CREATE DATABASE d ENGINE = Filesystem',
    'CREATE DATABASE d ENGINE Filesystem',
    "CREATE TABLE t (a String) ENGINE = MergeTree ORDER BY a SETTINGS disk = disk(type = local, path = '/etc/')",
    "DESC TABLE file('/etc/passwd', 'TSVWithNames')",
    "INSERT INTO t FROM INFILE '/etc/passwd' FORMAT TSV",
    "BACKUP TABLE t TO File('/tmp/b')",
    'SYSTEM SHUTDOWN',
    "SYSTEM ENABLE FAILPOINT replicated_merge_tree_commit_zk_fail_after_op",
    "SELECT * FROM system.one JOIN '/etc/passwd' AS p ON 1",
    "SELECT * FROM (SELECT 1) AS a, '../../etc/passwd'",
    "SELECT * FROM system.one AS a JOIN system.one AS b USING (dummy), '/etc/hostname'",
    "SELECT * FROM system.one AS a JOIN system.one AS b ON a.dummy = b.dummy, '/etc/hostname'",
    'SELECT * FROM `..\\x2fetc`',
    "ATTACH TABLE t FROM '/var/lib/other/t' (a String) ENGINE = MergeTree ORDER BY a",
    "SELECT 1 FORMAT Template SETTINGS \"format_template_row\" = '/etc/hostname'",
    "SELECT 1 SETTINGS allow_experimental_eval_table_function = 1",
    "SET output_format_schema = '/tmp/s'",
    // a heredoc or a Unicode space hides nothing: ClickHouse's parser reads the text first
    "SELECT $$'$$ AS x, * FROM file($p$/etc/hostname$p$, $f$LineAsString$f$) -- '",
    `SELECT * FROM file${nbsp}('/etc/hostname', 'LineAsString')`,
    `SYSTEM${nbsp}SHUTDOWN`,
    "CREATE DICTIONARY e (id UInt64, v String DEFAULT $$'$$) PRIMARY KEY id SOURCE(EXECUTABLE(command $c$echo 1$c$ format $c$CSV$c$)) LAYOUT(FLAT()) LIFETIME(0) -- '",
    "SELECT 1 /* a comment */, file('/etc/hostname')",
    // a function named without a call runs all the same (the ninth round)
    "SELECT * APPLY(file) FROM (SELECT concat(char(47), 'etc', char(47), 'hostname') AS p)",
    'SELECT * APPLY file FROM (SELECT 1 AS p)',
    'SELECT * APPLY(`file`) FROM (SELECT 1 AS p)',
    "SELECT COLUMNS('p') APPLY structureToProtobufSchema FROM (SELECT 'a String' AS p)",
    "SELECT arrayMap(file, [concat(char(47), 'etc', char(47), 'hostname')])",
    "SELECT arrayMap(x -> x, arrayMap(url, ['x']))",
    // the tenth round: a name in grouping parentheses, or as an Identifier parameter
    "SELECT arrayMap((file), [concat(char(47), 'etc', char(47), 'hostname')])",
    "SELECT arrayMap(((file)), ['x'])",
    "SELECT mapApply((file), map('a', 'b'))",
    // the eleventh round: a parameterized view naming the function by a parameter, and a view called with its database
    "CREATE VIEW v AS SELECT arrayMap({f:Identifier}, [{p:String}]) AS line",
    "SELECT line FROM default.v(f='file', p='x')",
    "SELECT * FROM system.one JOIN default.v(f='file', p='x') AS w ON 1",
    // a table's name as a string is a path in clickhouse-local's default database
    "SELECT * FROM loop('default', '/etc/passwd') LIMIT 2",
    "CREATE TABLE al ENGINE = Alias('/etc/hostname')",
    "SELECT hasColumnInTable('default', '/etc/hostname', 'c1')",
    "SELECT * FROM merge('default', '.*')",
    // round 3: a parenthesised table list, an unknown table function or engine, a dictionary source
    "SELECT * FROM (system.one, '/etc/hostname')",
    "SELECT * FROM mergeTreeAnalyzeIndexes('default', '/etc/hostname')",
    'CREATE TABLE qr (query String) ENGINE = QueryRunner',
    "CREATE DICTIONARY d2 (k UInt64) PRIMARY KEY k SOURCE(SomethingNew(path '/x')) LAYOUT(FLAT()) LIFETIME(0)",
    "SET param_t = '/etc/hostname'",
    // round 4: relative folders, settings that name tables or hold SQL, other dialects, AI functions, named collections
    "ATTACH TABLE at2 FROM 'stream' (x String) ENGINE = Log",
    "SELECT * SETTINGS implicit_table_at_top_level = '/etc/hostname'",
    "SELECT 1 SETTINGS additional_result_filter = 'throwIf(1, file(''/etc/hostname''))'",
    "SELECT * FROM system.one SETTINGS additional_table_filters = {'system.one': 'toUInt8(file(''/etc/hostname''))=0'}",
    "CREATE NAMED COLLECTION ainc AS provider = 'openai', endpoint = 'http://127.0.0.1:9/'",
    "SELECT aiGenerate('hello')",
    "CREATE TABLE ct2 AS mergeTreeAnalyzeIndexes('default', '/etc/hostname')",
    "DESCRIBE mergeTreeTextIndex('default', '/etc/hostname', 'x')",
    "ALTER TABLE t FREEZE WITH NAME '../../x'",
    "CREATE DICTIONARY d3 (k UInt64) PRIMARY KEY k SOURCE(NULL()) LAYOUT(SSD_CACHE(PATH 'x')) LIFETIME(0)",
    // round 5: an alias spelled like a clause, a setting without '=', a call after TO, the library bridge
    "SELECT * FROM numbers(1) AS values, '/etc/hostname'",
    "SELECT * FROM numbers(1) AS where, '/etc/hostname'",
    "SELECT * FROM numbers(1) values, '/etc/hostname'",
    "SELECT * FROM numbers(1) AS values, mergeTreeAnalyzeIndexes('default', '/etc/hostname')",
    "INSERT INTO a.s SETTINGS input_format_values_interpret_expressions VALUES",
    'SET allow_introspection_functions',
    "CREATE TABLE s2 ENGINE = Memory AS SELECT number FROM numbers(1) ORDER BY number WITH FILL TO file('/etc/hostname')",
    'SYSTEM RELOAD MODELS',
    // round 6: subqueries inside SHOW … WHERE and KILL … WHERE
    "SHOW TABLES WHERE toUInt8((SELECT groupArray(toString(tuple(*))) FROM numbers(1) AS values, '/etc/hostname')[1]) = 0",
    "KILL QUERY WHERE toUInt8((SELECT groupArray(toString(tuple(*))) FROM numbers(1) AS format, '/etc/hostname')[1]) = 0",
    // round 7: a setting named limit in a SETTINGS list, a clause word after a dot
    "SELECT * SETTINGS limit = 10, implicit_table_at_top_level = '/etc/hostname'",
    'INSERT INTO loot SETTINGS limit = 0, input_format_values_interpret_expressions = 1 VALUES',
    'SELECT * FROM numbers(1) AS a JOIN (SELECT 1 AS values) AS b ON b.values = 1, primes(2) AS p',
    'SELECT * FROM numbers(1) values, primes(2)',
    // round 8: a clause keyword as a column inside JOIN … ON, and a path given as a String parameter
    "SELECT * FROM (SELECT 1 AS x, 2 AS limit) AS a JOIN (SELECT 1 AS x) AS b ON a.x = b.x AND limit = 2, mergeTreeTextIndex('default', {p:String}, 'i') AS c",
    "SELECT * FROM t WHERE 1 IN (SELECT 1 FROM mergeTreeAnalyzeIndexes('default', {p:String}))",
    // round 9: ClickHouse decodes `\xHH` without checking the digits: `\x3g` is a slash
    "SELECT * FROM '\\x3getc\\x3ghostname'",
    "DESC TABLE '\\x3Getc\\x3ghostname'",
    // round 10: a column list is SQL: its DEFAULT or MATERIALIZED runs (format, input, values, null, generateRandom)
    "SELECT * FROM format(JSONEachRow, 'a String DEFAULT file(''/etc/hostname'')', '{}')",
    "SELECT a FROM format(JSONEachRow, 'a String MATERIALIZED file(''/etc/hostname''), b UInt8', '{\"b\":1}')",
    "SELECT * FROM format(JSONEachRow, concat('a String DEF', 'AULT 1'), '{}')",
    "SELECT * FROM format(JSONEachRow, 'a String DEF\\AULT 1', '{}')",
    "INSERT INTO t SELECT * FROM input('a String DEFAULT 1') FORMAT CSV",
    "SELECT * FROM values(concat('a String DEF', 'AULT 1'), 1)",
    "SELECT * FROM generateRandom('a String ALIAS 1')",
    // round 11: a column list named by a WITH alias, or by an Identifier parameter
    "WITH 'a String, b String DEFAULT file(concat(char(47),''etc'',char(47),''hostname''))' AS s SELECT * FROM format(CSV, s, 'x,')",
    "WITH 'a String DEFAULT 1' AS s SELECT * FROM null(s)",
    "WITH 'a String DEFAULT 1' AS s SELECT * FROM values(s, 1)",
    "SELECT * FROM format(CSV, {p:Identifier}, 'x,')",
    "SELECT * FROM generateRandom('a UInt8', s)",
    // round 12: scalar functions that evaluate a column list's DEFAULT, and the library bridge
    "SELECT structureToProtobufSchema('a UInt8 DEFAULT toUInt8(file(concat(char(47),''etc'',char(47),''hostname'')))')",
    "SELECT structureToCapnProtoSchema ('a UInt8 DEFAULT 1')",
    "SELECT catboostEvaluate('/etc/hostname', 1)",
    // round 13: an aggregate function's name and parameters given as a string are SQL
    "SELECT arrayReduce('groupConcat(file(concat(char(47),''etc'',char(47),''hostname'')))', ['a','b'])",
    "SELECT arrayReduceInRanges('groupConcat(1)', [(1, 2)], ['a', 'b'])",
    "SELECT initializeAggregation('quantile(toFloat64(1))', 1)",
  ])('refuses %s', async (sql) => {
    expect(await codeOf(sql)).toBe(497);
  });

  it('refuses PARALLEL WITH, which runs a second statement outside the first one’s rules (62)', async () => {
    expect(await codeOf("SET max_threads = 1 PARALLEL WITH CREATE TABLE leak ENGINE = Memory AS SELECT * FROM numbers(1) AS a JOIN (SELECT 0 AS having) AS b ON having + 0 = a.number, '/etc/hostname' AS c")).toBe(62);
    expect(await codeOf('CREATE TABLE pc (x Int8) ENGINE = Memory PARALLEL WITH SYSTEM SHUTDOWN')).toBe(62);
    expect(await codeOf('CREATE TABLE pc (x Int8) ENGINE = Memory parallel  with  CREATE TABLE pd (x Int8) ENGINE = Memory')).toBe(62);
  });

  it('refuses a column list with an expression given as a String parameter', async () => {
    expect(await codeOf('SELECT * FROM format(JSONEachRow, {s:String}, {d:String})', { s: "a String DEFAULT file('/etc/hostname')", d: '{}' })).toBe(497);
    expect(await codeOf('SELECT * FROM format(JSONEachRow, {s:String}, {d:String})', { s: 'a String', d: '{"a": "default"}' })).toBe(0);
  });

  it('refuses INTO OUTFILE with ClickHouse’s own code, and a path given as a name parameter', async () => {
    expect(await codeOf("SELECT 1 INTO OUTFILE '/tmp/x'")).toBe(358);
    expect(await codeOf(`SELECT 'x' INTO${nbsp}OUTFILE '/tmp/x'`)).toBe(358);
    expect(await codeOf('SELECT * FROM {t:Identifier}', { t: '/etc/passwd' })).toBe(497);
    // a function that reaches the host, named by an Identifier parameter (the tenth round)
    expect(await codeOf("SELECT arrayMap({f:Identifier}, ['x'])", { f: 'file' })).toBe(497);
    expect(await codeOf('SELECT {c:Identifier} FROM system.one', { c: 'dummy' })).toBe(0);
  });

  it('refuses settings that name files, URLs or commands, or would make VALUES run functions, given in the URL', () => {
    for (const k of ['format_schema', 'format_template_row', 'output_format_schema', 'input_format_record_errors_file_path', 'format_avro_schema_registry_url', 'input_format_values_interpret_expressions', 'allow_experimental_eval_table_function', 'implicit_table_at_top_level', 'additional_result_filter', 'dialect', 'polyglot_dialect', 'promql_table', 'allow_experimental_kusto_dialect', 'ai_function_text_default_credentials', 'schema_inference_hints', 'allow_settings_after_format_in_insert', 'input_format_values_allow_data_after_semicolon']) {
      expect(() => refuseHostSettings([[k, 'x']]), k).toThrow(/ACCESS_DENIED/);
    }
    expect(() => refuseHostSettings([['max_execution_time', '5'], ['date_time_input_format', 'best_effort'], ['insert_deduplication_token', 'x']])).not.toThrow();
  });

  it('refuses an external table whose columns carry expressions', () => {
    expect(() => refuseColumnExpressions(['a String', "b String DEFAULT file('/etc/hostname')"], 'ext_structure')).toThrow(/BAD_ARGUMENTS/);
    expect(() => refuseColumnExpressions(["b Nullable(String) DEFAULT file('/x')"], 'ext_structure')).toThrow(/BAD_ARGUMENTS/);
    expect(() => refuseColumnExpressions(["b Nullable(String /*(*/) DEFAULT file('/etc/hostname') --)"], 'ext_structure')).toThrow(/BAD_ARGUMENTS/);
    expect(() => refuseColumnExpressions(['a String', "t DateTime64(3, 'UTC')", "e Enum8('a' = 1, 'b' = -2)", 'n Array(Tuple(x UInt8, y Nullable(String)))', '`my col` LowCardinality(String)'], 'ext_structure')).not.toThrow();
    // a quote inside a quoted name led the shape check past the closing parenthesis (round 10)
    expect(() => refuseColumnExpressions([`a Tuple("'" String) DEFAULT tuple(file('/etc/hostname', '(\\''))`], 'ext_structure')).toThrow(/BAD_ARGUMENTS/);
    expect(() => refuseColumnExpressions(['UInt64', 'Nullable(String)'], 'ext_types')).not.toThrow();
  });

  it.each([
    "SELECT concat(entity, '/', source), 'a/b' AS path FROM capacity_raw WHERE source = 'x/y'",
    'CREATE TABLE s3t (x UInt8) ENGINE = Memory',
    'CREATE TABLE IF NOT EXISTS file (url String, s3 String) ENGINE = MergeTree ORDER BY url',
    'INSERT INTO url (a, b) FORMAT TSV',
    'INSERT INTO db.file (a) VALUES',
    "SELECT url, file, path FROM t WHERE url LIKE 'http://%/x' AND file_path = 'a/b' ORDER BY file",
    "SELECT domain(url), filesystemAvailable(), URLHierarchy('http://a/b') FROM t",
    'SELECT * FROM {t:Identifier}',
    "SELECT count() FROM capacity_raw AS c, vaccination_raw AS v WHERE c.entity = v.entity AND c.note = '/'",
    "WITH '/x' AS p SELECT p",
    "SELECT 'Bà Rịa – Vũng Tàu', `tên` FROM t WHERE s = 'a--b#c'",
    'SELECT 1 SETTINGS max_execution_time = 5',
    'SYSTEM FLUSH LOGS',
    "INSERT INTO t SELECT * FROM input('a String') FORMAT CSV",
    "SELECT x FROM t ARRAY JOIN splitByChar(',', s) AS x",
    'SELECT * FROM numbers(10) AS n JOIN (SELECT number FROM numbers(3)) AS m USING (number)',
    "SELECT * FROM format(TabSeparated, 'x UInt8', '1')",
    "SELECT id FROM format(TabSeparated, 'id UUID', 'x\\ny default ALIAS')",
    "SELECT * FROM format(TabSeparated, 'a String, t DateTime64(3, \\'UTC\\')', 'x')",
    "SELECT * FROM values('a Int8, b String', (1, 'x'), (2, 'default'))",
    'SELECT * FROM values(1, 2, 3)',
    "SELECT * FROM generateRandom('a UInt8', 1, 10, 2) LIMIT 1",
    "SELECT format('{}-{}', 'a', 'b'), format('{}', entity) FROM t",
    'CREATE TABLE k (a UInt8) ENGINE = ReplacingMergeTree ORDER BY a',
    'CREATE TABLE k2 (a UInt8) ENGINE = Memory',
    "CREATE TABLE k3 (a String, b Nullable(String) DEFAULT CAST(a AS Nullable(String))) ENGINE = MergeTree ORDER BY a",
    'CREATE TABLE k4 AS k3',
    "ALTER TABLE k3 UPDATE a = '/x' WHERE 1",
    'SELECT * FROM (SELECT number, toString(number) AS s, upper(s) FROM numbers(2)) AS t LIMIT 1 SETTINGS max_threads = 1, limit = 5',
    'SELECT a.number FROM numbers(1) AS a WHERE a.number IN (SELECT number FROM numbers(3)) ORDER BY a.number LIMIT 1',
    'WITH x AS (SELECT 1 AS v) SELECT v FROM x UNION ALL SELECT 2',
  ])('lets through %s', async (sql) => {
    expect(await codeOf(sql, { t: 'capacity_raw' })).toBe(0);
  });
});
