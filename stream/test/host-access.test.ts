import { describe, expect, it } from 'vitest';
import { refuseHostAccess } from '../src/store/gateway/host-access.ts';
import type { HttpError } from '../src/store/gateway/http-error.ts';

const codeOf = (sql: string, settings: [string, string][] = [], params: Record<string, string> = {}) => {
  try {
    refuseHostAccess(sql, settings, params);
    return 0;
  } catch (e) {
    return (e as HttpError).code;
  }
};

describe('what the gateway refuses before chDB sees it', () => {
  it.each([
    "SELECT file('/etc/hostname')",
    'SELECT * FROM FILE (\'x\')',
    "SELECT * FROM s3('https://bucket/x.csv')",
    "SELECT * FROM remoteSecure('h:9440', db.t)",
    "SELECT * FROM mysql('h', 'db', 't', 'u', 'p')",
    "SELECT * FROM executable('run.sh', TSV, 'x String')",
    "CREATE TABLE t AS url('http://x/', CSV)",
    "CREATE DICTIONARY d (k UInt64, v String) PRIMARY KEY k SOURCE(FILE(PATH '/etc/passwd' FORMAT TSV)) LAYOUT(FLAT()) LIFETIME(0)",
    "CREATE DATABASE d ENGINE = Filesystem",
    "CREATE TABLE t (a String) ENGINE = MergeTree ORDER BY a SETTINGS disk = disk(type = local, path = '/etc/')",
    "INSERT INTO t FROM INFILE '/etc/passwd' FORMAT TSV",
    "BACKUP TABLE t TO File('/tmp/b')",
    'SYSTEM SHUTDOWN',
    "SELECT * FROM system.one JOIN '/etc/passwd' AS p ON 1",
    "SELECT * FROM (SELECT 1) AS a, '../../etc/passwd'",
    'SELECT * FROM `..\\x2fetc`',
    "ATTACH TABLE t FROM '/var/lib/other/t' (a String) ENGINE = MergeTree ORDER BY a",
  ])('refuses %s', (sql) => {
    expect(codeOf(sql)).toBe(497);
  });

  it('refuses INTO OUTFILE with ClickHouse’s own code, and file settings and path parameters', () => {
    expect(codeOf("SELECT 1 INTO OUTFILE '/tmp/x'")).toBe(358);
    expect(codeOf('SELECT 1 FORMAT Protobuf', [['format_schema', '/etc/x:M']])).toBe(497);
    expect(codeOf("SET output_format_schema = '/tmp/s'")).toBe(497);
    expect(codeOf('SELECT * FROM {t:Identifier}', [], { t: '/etc/passwd' })).toBe(497);
  });

  it.each([
    "SELECT concat(entity, '/', source), 'a/b' AS path FROM capacity_raw WHERE source = 'x/y'",
    'CREATE TABLE s3t (x UInt8) ENGINE = Memory',
    'CREATE TABLE IF NOT EXISTS file (url String, s3 String) ENGINE = MergeTree ORDER BY url',
    'INSERT INTO url (a, b) FORMAT TSV',
    'INSERT INTO db.file (a) VALUES',
    "SELECT url, file FROM t WHERE url LIKE 'http://%/x' ORDER BY file",
    "SELECT domain(url), filesystemAvailable(), URLHierarchy('http://a/b') FROM t",
    'SELECT * FROM {t:Identifier}',
    "SELECT count() FROM capacity_raw AS c, vaccination_raw AS v WHERE c.entity = v.entity AND c.note = '/'",
    "WITH '/x' AS p SELECT p",
  ])('lets through %s', (sql) => {
    expect(codeOf(sql, [], { t: 'capacity_raw' })).toBe(0);
  });
});
