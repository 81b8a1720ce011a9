import { HttpError } from './http-error.ts';
import { type Token, tokens } from './statement.ts';

/**
 * chDB is clickhouse-local: none of a ClickHouse server's fences around the host apply in it.
 * Any statement could read a file of the store's machine (`file()`, `FROM '/etc/passwd'` —
 * the default database falls back to the file system —, a dictionary's `FILE` source, a
 * `Filesystem` database), write one (`INTO OUTFILE`, `INSERT INTO FUNCTION file`), reach the
 * network (`url()`, `s3()`, `remote()`, `mysql()`…) or run a program (`executable()`), and
 * the read-only setting stops none of the readers nor `INTO OUTFILE`. A ClickHouse server
 * confines files to `user_files_path`, refuses `INTO OUTFILE` over HTTP and needs grants for
 * the rest; `haidang store` holds only the city's tables, so the gateway refuses all of them,
 * to every account, before the engine sees the statement. Names that are not paths (no `/`)
 * are harmless: chDB is started in an empty folder (`empty-working-dir.ts`), so a bare name
 * that is no table finds no file.
 */

/** table functions, table and database engines and dictionary sources that reach outside the store's tables */
const outside =
  /^(file|filecluster|filesystem|url|urlcluster|http|https|gcs|oss|cosn|executable\w*|remote\w*|cluster|clusterallreplicas|s3\w*|azure\w*|hdfs\w*|iceberg\w*|deltalake\w*|hudi\w*|paimon\w*|hive|mysql\w*|postgres\w*|materializedpostgresql|mongo\w*|redis|sqlite|odbc|jdbc|cassandra|clickhouse|library|yamlregexptree|kafka|rabbitmq|nats|filelog|disk|embeddedrocksdb|arrowflight\w*|ytsaurus|prometheus\w*|backup|datalakecatalog|python)$/i;
/** settings naming a file of the host to read (format schemas, templates) or to write (an inferred schema) */
const fileSettings = /^(format_schema|format_template_row|format_template_resultset|output_format_schema)$/i;
/** keywords after which a string is read as a table: in clickhouse-local a string there names a file */
const tableKeywords = new Set(['FROM', 'JOIN', 'TABLE', 'INTO', 'DESCRIBE', 'DESC', 'EXISTS', 'AS']);
/** keywords after which a name followed by `(` is a table and its columns */
const namesTable = new Set(['TABLE', 'INTO', 'EXISTS', 'TO', 'DICTIONARY', 'VIEW', 'DATABASE']);
/** clause keywords: within FROM, a comma also introduces a table */
const clauses = new Set(['SELECT', 'FROM', 'WHERE', 'PREWHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'SETTINGS', 'FORMAT', 'UNION', 'ON', 'USING', 'WINDOW', 'QUALIFY', 'VALUES']);

const refuse = (what: string) =>
  new HttpError(403, 497, `${what}: haidang store serves its own tables only, not the files, network or programs of its host (ACCESS_DENIED)`);
const named = (t: Token) => (t.type === 'word' || t.type === 'quoted' ? t.text : undefined);
const isPath = (s: string) => s.includes('/') || s.includes('\\');

/** throws the refusal when the statement (its SQL, without an INSERT's data), its settings or its parameters reach the host */
export function refuseHostAccess(sql: string, settings: ReadonlyArray<readonly [string, string]>, params: Readonly<Record<string, string>>): void {
  for (const [k] of settings) if (fileSettings.test(k)) throw refuse(`the setting ${k}`);
  const list = [...tokens(sql)];
  const clause: string[] = [''];
  let depth = 0;
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    const before = list[i - 1];
    const after = list[i + 1];
    if (t.type === 'punct') {
      if (t.text === '(') clause[++depth] = '';
      else if (t.text === ')') depth = Math.max(0, depth - 1);
      else if (t.text === '{' && after?.type === 'word' && list[i + 2]?.text === ':' && /^identifier$/i.test(list[i + 3]?.text ?? '')) {
        // a query parameter used as a name: its value is the name
        if (isPath(params[after.text] ?? '')) throw refuse(`the parameter ${after.text} names a path`);
      }
      continue;
    }
    const word = t.type === 'word' ? t.text.toUpperCase() : '';
    if (clauses.has(word)) clause[depth] = word;
    const name = named(t);
    if (name !== undefined) {
      // a call, or an engine named without arguments (ENGINE = Filesystem)
      const engine = before?.text === '=' && list[i - 2]?.type === 'word' && list[i - 2]!.text.toUpperCase() === 'ENGINE';
      // `CREATE TABLE s3t (…)`, `INSERT INTO url (…)`, `db.file (…)`: a table's name and its columns, not a call
      const call = after?.text === '(' && !(before && (before.text === '.' || (before.type === 'word' && namesTable.has(before.text.toUpperCase()))));
      if ((call || engine) && outside.test(name)) throw refuse(`${name}()`);
      // escapes in a quoted name (`fi\x6ce`) spell any name: none is needed for a table or a column
      if (t.type === 'quoted' && isPath(name)) throw refuse(`the name ${JSON.stringify(name)}`);
      if (t.type === 'word' && fileSettings.test(name)) throw refuse(`the setting ${name}`);
    }
    if (word === 'OUTFILE') throw new HttpError(403, 358, 'INTO OUTFILE is not allowed over HTTP: the answer is the response (INTO_OUTFILE_NOT_ALLOWED)');
    if (word === 'INFILE') throw refuse('FROM INFILE');
    if (i === 0 && (word === 'BACKUP' || word === 'RESTORE')) throw refuse(word);
    if (i === 1 && word.match(/^(SHUTDOWN|KILL)$/) && list[0]!.text.toUpperCase() === 'SYSTEM') throw refuse(`SYSTEM ${word}`);
    if (t.type === 'string' && isPath(t.text) && before) {
      const b = before.type === 'word' ? before.text.toUpperCase() : before.text;
      if (tableKeywords.has(b) || (b === ',' && clause[depth] === 'FROM') || (b === 'FROM' && list[0]!.text.toUpperCase() === 'ATTACH')) throw refuse(`the table ${JSON.stringify(t.text)}`);
    }
  }
}
