import { paramString } from '../sql-string.ts';
import type { Engine } from './engine.ts';
import { HttpError } from './http-error.ts';
import { type Token, tokens } from './statement.ts';

/**
 * chDB is clickhouse-local: none of a ClickHouse server's fences around the host apply in it.
 * A statement could read a file of the store's machine (`file()`, `FROM '/etc/passwd'` — the
 * default database falls back to the file system —, a dictionary's `FILE` source, a
 * `Filesystem` database), write one (`INTO OUTFILE`, `INSERT INTO FUNCTION file`, a setting
 * naming a file), reach the network (`url()`, `s3()`, a schema registry) or run a program (an
 * `EXECUTABLE` dictionary), and the read-only setting stops none of the readers nor
 * `INTO OUTFILE`. A ClickHouse server confines files to `user_files_path`, refuses
 * `INTO OUTFILE` over HTTP and needs grants for the rest; `haidang store` holds only the
 * city's tables, so the gateway refuses all of these, to every account, before the engine
 * sees the statement.
 *
 * The statement is read as ClickHouse reads it: a text that is plain ASCII without comments
 * or heredocs (`$$…$$`) is read by the gateway's lexer, whose rules for such text are
 * ClickHouse's; any other text is first rewritten by ClickHouse's own parser (`formatQuery`),
 * so a Unicode space, a heredoc or a comment cannot hide a name from the check. The data of an
 * INSERT is never SQL: VALUES are read as literals only (prepare() sets
 * `input_format_values_interpret_expressions = 0`). Names that are not paths are harmless:
 * chDB starts in an empty folder (`empty-working-dir.ts`), so a bare name that is no table
 * finds no file.
 */

/**
 * table functions, table and database engines and dictionary sources that reach outside the
 * store's tables; and those that take a table's name as a string (`loop('default', '/etc/passwd')`,
 * `ENGINE = Alias('/etc/hostname')`, `hasColumnInTable`), since clickhouse-local's default
 * database reads a name that is a path as that file; and every other table function outside the
 * allow-list below, wherever it stands (a lexer can be led to misplace a table's slot); and the
 * functions that run a column list's DEFAULT given as a string (`structureToProtobufSchema`,
 * `structureToCapnProtoSchema`) or an aggregate function's parameters given as a string
 * (`arrayReduce('groupConcat(file(…))', …)`, `arrayReduceInRanges`, `initializeAggregation`:
 * any expression, a subquery too, runs there), or start the library bridge (`catboostEvaluate`)
 */
const outside =
  /^(file|filecluster|filesystem|url|urlcluster|http|https|gcs|oss|cosn|executable\w*|remote\w*|cluster|clusterallreplicas|s3\w*|azure\w*|hdfs\w*|iceberg\w*|deltalake\w*|hudi\w*|paimon\w*|hive|mysql\w*|postgres\w*|materializedpostgresql|mongo\w*|redis|sqlite|odbc|jdbc|cassandra|clickhouse|library|yamlregexptree|kafka|rabbitmq|nats|filelog|disk|embeddedrocksdb|arrowflight\w*|ytsaurus|prometheus\w*|backup|datalakecatalog|python|eval|loop|merge|alias|buffer|distributed|hascolumnintable|joinget\w*|mergetree\w*|timeseries\w*|ai\w*|viewexplain|viewifpermitted|fuzz\w*|arrowstream|primes|sqlstandardvalues|structureto\w*|catboost\w*|arrayreduce\w*|initializeaggregation)$/i;
/**
 * settings that name a file, a folder, a URL, a command or a schema to read or write, or that
 * let the engine evaluate text as SQL: refused by name, wherever they are set (URL, SET,
 * SETTINGS; quoted or not). `input_format_values_*` would let an INSERT's VALUES run functions;
 * `SET param_t = '/etc/passwd'` would name a table with a path for a later `{t:Identifier}`;
 * `implicit_table_at_top_level` names a table; `additional_result_filter`,
 * `additional_table_filters` and `parallel_replicas_custom_key` are SQL expressions; `dialect`
 * (Kusto) is text this check cannot read; `allow_experimental_*` opens features such as AI
 * functions that reach the network; schema hints and structures are column lists with defaults;
 * `allow_settings_after_format_in_insert` would let a SETTINGS clause hide in an INSERT's data,
 * which this check never reads, and `input_format_values_allow_data_after_semicolon` would
 * let VALUES data go on past its end.
 */
const hostSettings =
  /(^param_|file|path|url|uri|director|registry|command|script|template|eval|format_schema|output_format_schema|input_format_values_interpret_expressions|input_format_values_deduce_templates|after_semicolon|settings_after_format|dialect|promql|implicit_table|additional_|custom_key|^allow_experimental_|^allow_introspection|(^|_)ai_|endpoint|host|proxy|credential|^default_\w*engine|named_collection|^compatibility$|hints|structure)/i;
/**
 * What may stand where a table goes (`FROM f(…)`, `JOIN f(…)`, `INSERT INTO FUNCTION f(…)`,
 * `DESC TABLE f(…)`): table functions that make rows from their arguments or read the store's
 * own tables. Any other (and any ClickHouse adds later) is refused there.
 */
const tableFunctions = /^(numbers|numbers_mt|zeros|zeros_mt|generaterandom|generate_series|generateseries|values|view|input|format|null|dictionary)$/i;
/** engines a table or database may be created with: the store's own kinds of storage; any other (and any ClickHouse adds later) is refused */
const engines = /^((replacing|summing|aggregating|collapsing|versionedcollapsing|coalescing)?mergetree|memory|log|tinylog|stripelog|null|set|join|view|materializedview|atomic|lazy|ordinary)$/i;
/** keywords after which a string is read as a table (besides FROM and JOIN: tableSlot): in clickhouse-local a string there names a file */
const tableKeywords = new Set(['TABLE', 'INTO', 'DESCRIBE', 'DESC', 'EXISTS', 'AS']);
/** in these statements, a name after these keywords followed by `(` is a table and its columns (`CREATE TABLE s3t (…)`, `INSERT INTO url (…)`) */
const declaring = new Set(['CREATE', 'ATTACH', 'REPLACE', 'INSERT']);
const namesTable = new Set(['TABLE', 'INTO', 'EXISTS', 'DICTIONARY', 'VIEW', 'DATABASE']);
/** the SYSTEM statements a client may give (their first word): the rest stop, hang or crash the process (fail points), start programs (RELOAD MODELS runs the library bridge), or are new */
const systemCommands = new Set(['FLUSH', 'DROP', 'SYNC', 'START', 'STOP', 'PREWARM', 'REFRESH', 'CANCEL']);
/** clause keywords: within FROM (and its ON / USING), a comma also introduces a table */
const clauses = new Set(['SELECT', 'FROM', 'WHERE', 'PREWHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'SETTINGS', 'FORMAT', 'UNION', 'WINDOW', 'QUALIFY', 'VALUES', 'INTERSECT', 'EXCEPT']);
/** text the gateway's lexer reads as ClickHouse does: printable ASCII, tabs and line feeds, no `$`, no comment (`--`, `/*`, `#`) */
/** functions whose first argument is a function, given as a lambda or by its name (`arrayMap(toString, a)`) */
const higherOrder = /^(array\w+|map\w+)$/i;
const notPlain = /[^\t\n\x20-\x22\x25-\x7e]|--|\/\*/;

/**
 * Whether a clause keyword starts a clause here, or is a name that spells one: after AS or a
 * `.` it is a name (`AS values`, `b.values`); after a table of a FROM list, VALUES, SELECT and
 * WITH can only be its alias (`FROM numbers(1) values, …`); and a SETTINGS list ends only where
 * a statement can go on after it (`SETTINGS limit = 10, implicit_table_at_top_level = …` is
 * one list: LIMIT is also a setting).
 */
function startsClause(word: string, before: Token | undefined, after: Token | undefined, current: string | undefined): boolean {
  const b = upper(before);
  if (b === 'AS' || b === '.') return false;
  // a keyword compared or listed is a column's name (`ON a.x = b.x AND limit = 2, …`)
  if (after && /^(=|,|\)|\.|<|>|!)$/.test(after.text)) return false;
  if (current === 'FROM' && /^(VALUES|SELECT|WITH)$/.test(word) && b !== '(' && b !== undefined && (b === ')' || before!.type === 'word' || before!.type === 'quoted')) return false;
  if (current === 'SETTINGS') return /^(FORMAT|VALUES|SELECT|UNION|INTERSECT|EXCEPT)$/.test(word);
  return true;
}

/** whether what follows `list[j]` stands where a table goes: after FROM or JOIN (not ARRAY JOIN), or after a comma or parenthesis of a FROM clause */
function tableSlot(list: Token[], j: number, clause: string | undefined): boolean {
  const b = upper(list[j]);
  return b === 'FROM' || (b === 'JOIN' && upper(list[j - 1]) !== 'ARRAY') || ((b === ',' || b === '(') && clause === 'FROM');
}
const refuse = (what: string) =>
  new HttpError(403, 497, `${what}: haidang store serves its own tables only, not the files, network or programs of its host (ACCESS_DENIED)`);
const isPath = (s: string) => s.includes('/') || s.includes('\\');
/**
 * a string literal (as written) whose value may hold a `/`: written so, or made by a `\x`
 * escape. ClickHouse decodes `\xHH` without checking that the digits are hex (`\x3g` is a
 * slash), so any `\x` escape counts (its other escapes make no slash).
 */
const stringIsPath = (s: string) => s.includes('/') || /\\x/i.test(s);
/**
 * Column lists that ClickHouse parses as SQL: a column there may carry an expression (`a String
 * DEFAULT file('/etc/hostname')`) that the engine runs. A list with one of the words that start
 * such an expression (even inside quotes or a comment: any is refused), or with a `\x` escape
 * (which could spell one), is refused wherever one is read: the structure of a table function
 * and the columns of an external table.
 */
const columnExpression = /\b(DEFAULT|MATERIALIZED|ALIAS|EPHEMERAL|TTL)\b|\\x/i;
/** table functions with a column list among their arguments (format's last argument is its data) */
const withColumns = /^(format|input|values|null|generaterandom)$/i;
/** a string literal's value as ClickHouse reads it, for the column check: escapes and doubled quotes undone (`\x` is kept, and refused) */
const literalValue = (s: string) => s.replace(/''/g, "'").replace(/\\([^x])/gi, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': ' ', b: ' ', f: ' ', a: ' ', v: ' ' })[c] ?? c);
function refuseColumnExpressionIn(text: string, what: string): void {
  if (columnExpression.test(text)) throw refuse(`${what}: a column list with an expression (DEFAULT, MATERIALIZED, ALIAS, EPHEMERAL, TTL) or a \\x escape`);
}

/**
 * The column lists among a table function's arguments (`list[open]` is its `(`). ClickHouse
 * evaluates a constant expression there (`concat('a String DEF', 'AULT …')`) and resolves a
 * name to a `WITH` alias, so where a column list may go it must be written out: one string, or
 * one `{p:String}` parameter, whose value holds no expression. That place is format()'s middle
 * argument of three, the first of input(), null() and generateRandom() (whose others are
 * numbers), and values()' first unless it starts a row (a number or a tuple).
 */
function refuseColumnListsOf(name: string, list: Token[], open: number, params: Readonly<Record<string, string>>): void {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let j = open + 1; j < list.length; j++) {
    const t = list[j]!;
    if (t.type === 'punct' && t.text === '(') depth++;
    else if (t.type === 'punct' && t.text === ')' && depth-- === 0) break;
    else if (t.type === 'punct' && t.text === ',' && depth === 0) {
      args.push([]);
      continue;
    }
    args[args.length - 1]!.push(t);
  }
  const fn = name.toLowerCase();
  const numeric = (a: Token[]) => a.length === 1 && a[0]!.type === 'word' && /^[0-9]/.test(a[0]!.text);
  let lists: Token[][];
  if (fn === 'format') lists = args.length === 3 ? [args[1]!] : [];
  else if (fn === 'values') lists = args[0] && args[0][0]?.text !== '(' && !numeric(args[0]) ? [args[0]] : [];
  else {
    lists = args.slice(0, 1);
    const rest = args.slice(1).find((a) => !numeric(a));
    if (rest) throw refuse(`${name}() with something other than a number after its column list`);
  }
  for (const arg of lists) {
    const string = arg.length === 1 && arg[0]!.type === 'string';
    const parameter = arg.length === 5 && arg[0]!.text === '{' && arg[1]!.type === 'word' && arg[2]!.text === ':' && /^String$/i.test(arg[3]!.text) && arg[4]!.text === '}';
    if (!string && !parameter) throw refuse(`${name}() with a column list that is not written out (one string or one {p:String} parameter)`);
    // a string's value with its escapes undone; a parameter's value, unescaped as TabSeparated is
    refuseColumnExpressionIn(literalValue(string ? arg[0]!.text : (params[arg[1]!.text] ?? '')), string ? `${name}()` : `${name}() through the parameter ${arg[1]!.text}`);
  }
}

const upper = (t: Token | undefined) => (t?.type === 'word' ? t.text.toUpperCase() : t?.text);

/** what ClickHouse's own parser makes of a statement, asked on a connection of its own */
export interface Parser {
  /** the statement rewritten in plain text (formatQuery) */
  canonical(sql: string): Promise<string>;
  /** its syntax tree, one node a line (EXPLAIN AST), with its query parameters */
  ast(sql: string, params: Readonly<Record<string, string>>): Promise<string>;
}

export function parserOf(engine: Engine): Parser {
  const ask = async (sql: string, format: string, params?: Readonly<Record<string, string>>) => {
    const c = engine.connect();
    try {
      // the statement may be long (a lookup's ids, a format() table): room for all of it
      await c.run(`SET max_query_size = ${Math.max(262_144, sql.length * 2 + 1024)}`);
      return Buffer.from((await c.run(sql, format, params && { ...params })).bytes).toString('utf8');
    } finally {
      c.close();
    }
  };
  return {
    canonical: (sql) => ask('SELECT formatQuery({q:String})', 'RawBLOB', { q: paramString(sql) }),
    ast: (sql, params) => ask(`EXPLAIN AST ${sql}`, 'TSVRaw', params),
  };
}

/**
 * The tables of a syntax tree: what each `TableExpression` holds. A name with `/` or `\` is a
 * file (clickhouse-local's default database), a table function must be one of the allowed;
 * this is how a path string after a comma is found whatever the aliases around it spell
 * (`FROM numbers(1) AS values, '/etc/hostname'`).
 */
function refuseTablesIn(ast: string): void {
  const lines = ast.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    if (!/^\s*TableExpression\b/.test(lines[i]!)) continue;
    const child = lines[i + 1]!.trim();
    const table = /^TableIdentifier (.*?)(?: \(alias .*\))?$/.exec(child)?.[1];
    if (table !== undefined && isPath(table)) throw refuse(`the table ${JSON.stringify(table)}`);
    const fn = /^Function (\S+)/.exec(child)?.[1];
    if (fn !== undefined && (outside.test(fn) || !tableFunctions.test(fn))) throw refuse(`the table function ${fn}()`);
  }
}

/** a format's name, which the gateway may write into a statement of its own (FROM INFILE, file()): a plain name only */
export function refuseFormatName(name: string): void {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new HttpError(400, 73, `Unknown format ${name} (UNKNOWN_FORMAT)`);
}

/** throws the refusal when settings given outside the statement (URL, session) reach the host */
export function refuseHostSettings(settings: ReadonlyArray<readonly [string, string]>): void {
  for (const [k] of settings) if (hostSettings.test(k)) throw refuse(`the setting ${k}`);
}

/**
 * Throws the refusal when the statement (its SQL, without an INSERT's data) or its parameters
 * reach the host. `canonical` gives ClickHouse's own rewriting of a text (formatQuery).
 */
export async function refuseHostAccess(sql: string, params: Readonly<Record<string, string>>, parser: Parser): Promise<void> {
  const text = notPlain.test(sql) ? await parser.canonical(sql) : sql;
  let pathString = false;
  let sawSelect = false;
  const list = tokens(text);
  const kind = upper(list[0]) ?? '';
  const clause: string[] = [''];
  /** the function whose parenthesis is open at each depth (`arrayMap(` → arrayMap), '' for none */
  const callee: string[] = [''];
  let depth = 0;
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    const before = list[i - 1];
    const after = list[i + 1];
    if (t.type === 'punct') {
      // a parenthesis opened where a table goes holds tables too (`FROM (t, '/etc/hostname')`), until a SELECT
      if (t.text === '(') {
        clause[++depth] = clause[depth - 1] === 'FROM' && tableSlot(list, i - 1, 'FROM') ? 'FROM' : '';
        // a parenthesis that only groups (`arrayMap((file), …)`) is still inside the call around it
        callee[depth] = before?.type === 'word' || before?.type === 'quoted' ? before.text : before?.text === '(' || before?.text === ',' ? (callee[depth - 1] ?? '') : '';
      }
      else if (t.text === ')') depth = Math.max(0, depth - 1);
      else if (t.text === '{' && after?.type === 'word' && list[i + 2]?.text === ':' && /^identifier$/i.test(list[i + 3]?.text ?? '')) {
        // a query parameter used as a name: its value is the name
        if (isPath(params[after.text] ?? '')) throw refuse(`the parameter ${after.text} names a path`);
        // or a function that reaches the host, named where a function can be (`arrayMap({f:Identifier}, …)`);
        // in a higher-order call a parameter may not name the function at all: a parameterized
        // view's is filled at each call, after this check (the eleventh round: `CREATE VIEW v AS
        // SELECT arrayMap({f:Identifier}, …)`, then `default.v(f='file', …)`)
        if (outside.test(params[after.text] ?? '')) throw refuse(`the parameter ${after.text} names ${params[after.text]}`);
        if ((before?.text === '(' || before?.text === ',') && higherOrder.test(callee[depth] ?? '')) throw refuse(`a function named by the parameter ${after.text}`);
      }
      continue;
    }
    const word = upper(t) ?? '';
    if (t.type === 'word' && clauses.has(word) && startsClause(word, before, after, clause[depth])) clause[depth] = word;
    if (word === 'SELECT') sawSelect = true;
    if (t.type === 'word' || t.type === 'quoted') {
      const name = t.text;
      const engine = upper(before) === 'ENGINE' || (before?.text === '=' && upper(list[i - 2]) === 'ENGINE');
      // only the statement's own table, before any SELECT (`ORDER BY … WITH FILL TO file(…)` is a call)
      const declared = declaring.has(kind) && depth === 0 && !sawSelect && before !== undefined && (before.text === '.' || namesTable.has(upper(before)!));
      if (engine) {
        if (!engines.test(name)) throw refuse(`ENGINE ${name}`);
      } else if (after?.text !== '(' && outside.test(name) && (upper(before) === 'APPLY' || (before?.text === '(' && upper(list[i - 2]) === 'APPLY') || ((before?.text === '(' || before?.text === ',') && higherOrder.test(callee[depth] ?? '')))) {
        // a function named without calling it runs all the same: `* APPLY file`, `APPLY(file)`,
        // `arrayMap(file, […])`
        throw refuse(`${name} named as a function`);
      } else if (after?.text === '(' && !declared) {
        if (outside.test(name)) throw refuse(`${name}()`);
        if (withColumns.test(name)) refuseColumnListsOf(name, list, i + 1, params);
        // a database's name before it (`FROM default.v(…)`): the place is the one before that
        const at = before?.text === '.' && (list[i - 2]?.type === 'word' || list[i - 2]?.type === 'quoted') ? i - 2 : i;
        const b = upper(list[at - 1]);
        const tablePlace =
          tableSlot(list, at - 1, clause[depth]) ||
          b === 'FUNCTION' ||
          b === 'DESC' ||
          b === 'DESCRIBE' ||
          (b === 'TABLE' && /^(DESC|DESCRIBE|EXISTS|SHOW)$/.test(kind)) ||
          (b === 'AS' && depth === 0 && declaring.has(kind));
        if (tablePlace && !tableFunctions.test(name)) throw refuse(`the table function ${name}()`);
        // a dictionary's source: none reaches the store's host but NULL
        if (before?.text === '(' && upper(list[i - 2]) === 'SOURCE' && !/^null$/i.test(name)) throw refuse(`the dictionary source ${name}()`);
      }
      // escapes in a quoted name (`fi\x6ce`) spell any name: none is needed for a table or a column
      if (t.type === 'quoted' && isPath(name)) throw refuse(`the name ${JSON.stringify(name)}`);
      // a setting: in SET, or a SETTINGS clause (`SETTINGS "format_template_row" = …`)
      // (a name in SET or SETTINGS that is not a value: `SETTINGS x` alone means x = true)
      if (hostSettings.test(name) && before?.text !== '=' && (kind === 'SET' || clause[depth] === 'SETTINGS')) throw refuse(`the setting ${name}`);
    }
    if (t.type === 'word') {
      // `a PARALLEL WITH b` runs b as a statement of its own, which every rule here keyed to
      // the first statement's kind or position would miss (`SET … PARALLEL WITH CREATE …`): one
      // statement per request, as over `;`
      if (word === 'WITH' && upper(before) === 'PARALLEL') throw new HttpError(400, 62, 'Syntax error (Multi-statements are not allowed): PARALLEL WITH runs a second statement; haidang store takes one statement per request (SYNTAX_ERROR)');
      if (word === 'OUTFILE') throw new HttpError(403, 358, 'INTO OUTFILE is not allowed over HTTP: the answer is the response (INTO_OUTFILE_NOT_ALLOWED)');
      if (word === 'INFILE') throw refuse('FROM INFILE');
      if (i === 0 && (word === 'BACKUP' || word === 'RESTORE')) throw refuse(word);
      // a dictionary's source or layout (SSD_CACHE's PATH) reaches files; named collections hold endpoints and keys
      if (i <= 4 && declaring.has(kind) && (word === 'DICTIONARY' || (word === 'NAMED' && upper(after) === 'COLLECTION'))) throw refuse(`${kind} ${word}`);
      if (i === 1 && kind === 'ALTER' && word === 'NAMED') throw refuse('ALTER NAMED COLLECTION');
      // FREEZE names a folder for the backup it writes; FETCH reaches another server
      if (kind === 'ALTER' && (word === 'FREEZE' || word === 'UNFREEZE' || word === 'FETCH')) throw refuse(`ALTER … ${word}`);
      // SYSTEM: caches, flushes, merges and reloads; not SHUTDOWN, KILL, failpoints or anything new
      if (i === 1 && kind === 'SYSTEM' && !systemCommands.has(word)) throw refuse(`SYSTEM ${word}`);
    }
    if (t.type === 'string' && stringIsPath(t.text) && before) {
      if (tableKeywords.has(upper(before)!) || tableSlot(list, i - 1, clause[depth])) throw refuse(`the table ${JSON.stringify(t.text)}`);
      pathString = true;
    }
    // ATTACH … FROM 'folder' moves that folder, relative to the process's working folder, into the store
    if (t.type === 'string' && kind === 'ATTACH' && upper(before) === 'FROM') throw refuse(`ATTACH … FROM ${JSON.stringify(t.text)}`);
    // a part's or partition's name that climbs out of the table's folder
    if (t.type === 'string' && kind === 'ALTER' && /^(PART|PARTITION)$/.test(upper(before) ?? '') && (isPath(t.text) || t.text.includes('..'))) throw refuse(`the part ${JSON.stringify(t.text)}`);
  }
  // a string that could be a path, somewhere this lexer cannot place: ClickHouse's parser says where the tables are
  // SHOW's syntax tree does not show its WHERE, which may hold a subquery: there a slash is refused outright
  if (pathString && kind === 'SHOW') throw refuse('a string with a slash in SHOW');
  if (pathString && kind !== 'SET') refuseTablesIn(await parser.ast(text, params));
}

/**
 * A column list as external data gives it (`a String, b Nullable(UInt8)`): each column a name
 * and a type, nothing after the type — a `DEFAULT` there would be an expression the engine
 * evaluates (`b String DEFAULT file('/etc/passwd')`).
 */
export function refuseColumnExpressions(columns: string[], what: string): void {
  for (const c of columns) {
    // a comment, a heredoc or a Unicode space would read differently to ClickHouse (`Nullable(String /*(*/) DEFAULT …`)
    if (notPlain.test(c) || c.includes('#') || c.includes('$')) throw new HttpError(400, 36, `${what}: plain names and types only, without comments: ${c} (BAD_ARGUMENTS)`);
    // a quoted name can lead the shape check below astray (`a Tuple("'" String) DEFAULT …`): no expression word at all, quoted or not
    if (columnExpression.test(c)) throw new HttpError(400, 36, `${what}: each column is a name and a type, without DEFAULT, MATERIALIZED or other expressions: ${c} (BAD_ARGUMENTS)`);
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|`[^`\\]+`)?\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\(.*\))?$/s.exec(c.trim());
    const args = m?.[2];
    if (!m || (args !== undefined && !balancedToEnd(args))) throw new HttpError(400, 36, `${what}: each column is a name and a type, without DEFAULT, MATERIALIZED or other expressions: ${c} (BAD_ARGUMENTS)`);
  }
}

/** `(…)` whose first parenthesis closes at its end, strings and all */
function balancedToEnd(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") {
      for (i++; i < s.length && s[i] !== "'"; i++) if (s[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i === s.length - 1;
  }
  return false;
}
