/**
 * Just enough of ClickHouse's lexer to answer what the HTTP handler must know before the
 * engine runs a request: where the one statement ends (ClickHouse refuses a second one over
 * HTTP), where an INSERT's inline data starts (everything after it is data, not SQL, and may
 * be binary), and which output format an explicit `FORMAT` clause names.
 *
 * The text is read as latin1 so every offset is a byte offset into the request.
 */
export interface Statement {
  /** the first keyword, upper-cased (`SELECT`, `INSERT`, `WITH`, `SET`…); '' for an empty text */
  kind: string;
  /** offset just past that keyword */
  kindEnd?: number;
  /** for an INSERT that carries data: byte offset where the data starts */
  dataStart?: number;
  /** for an INSERT: the SQL before its data, without trailing whitespace */
  insertPrefix?: string;
  /** for an INSERT: where its SETTINGS, FORMAT or VALUES clause starts (a FROM INFILE goes there) */
  clauseStart?: number;
  /** for an INSERT: where its FORMAT or VALUES keyword starts */
  dataKeyword?: number;
  /** the name after a top-level `FORMAT` (output format of a read, input format of an INSERT) */
  format?: string;
  /** offset just past the statement (its `;` excluded), when nothing but its data follows */
  end: number;
  /** true when a second statement follows the first `;` */
  multi: boolean;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128;

export interface Token {
  type: 'word' | 'quoted' | 'string' | 'punct' | 'end';
  start: number;
  end: number;
  text: string;
}

/**
 * Where the quoted text opened before `from` ends: the offset of its closing quote `q` (a
 * backslash escapes the next character, a doubled quote is one quote), or the text's length
 * when it never closes. It jumps from one backslash or quote to the next (`indexOf`), so a
 * long literal (a lookup's 20,000 ids) costs a search, not a step per character.
 */
function closingQuote(s: string, from: number, q: number): number {
  const quote = String.fromCharCode(q);
  let quoteAt = s.indexOf(quote, from);
  let slashAt = s.indexOf('\\', from);
  for (;;) {
    if (quoteAt < 0) return s.length;
    if (slashAt >= 0 && slashAt < quoteAt) {
      // an escape before the quote: the character after the backslash is text, whatever it is
      const after = slashAt + 2;
      slashAt = s.indexOf('\\', after);
      if (quoteAt < after) quoteAt = s.indexOf(quote, after);
      continue;
    }
    if (s.charCodeAt(quoteAt + 1) !== q) return quoteAt;
    // a doubled quote is one quote of the text (no backslash lies between: it would have come first)
    quoteAt = s.indexOf(quote, quoteAt + 2);
  }
}

/** the next token at or after `i`, skipping whitespace and comments */
function next(s: string, i: number): Token {
  const n = s.length;
  for (;;) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (s.startsWith('--', i) || s.startsWith('#', i)) {
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (s.startsWith('/*', i)) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (s.startsWith('/*', i)) (depth++, (i += 2));
        else if (s.startsWith('*/', i)) (depth--, (i += 2));
        else i++;
      }
      continue;
    }
    break;
  }
  if (i >= n) return { type: 'end', start: n, end: n, text: '' };
  const c = s.charCodeAt(i);
  if (c === 39 || c === 34 || c === 96) {
    // 'string', "identifier", `identifier`: backslash escapes and doubled quotes
    const end = Math.min(closingQuote(s, i + 1, c) + 1, n);
    return { type: c === 39 ? 'string' : 'quoted', start: i, end, text: s.slice(i + 1, end - 1) };
  }
  if (isWord(c)) {
    let j = i + 1;
    while (j < n && isWord(s.charCodeAt(j))) j++;
    return { type: 'word', start: i, end: j, text: s.slice(i, j) };
  }
  return { type: 'punct', start: i, end: i + 1, text: s[i]! };
}

/** every token of `text` in order (whitespace and comments skipped) */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (let t = next(text, 0); t.type !== 'end'; t = next(text, t.end)) out.push(t);
  return out;
}

/** where an INSERT's data starts after its format name: ClickHouse skips blanks and at most one line break */
function dataOffset(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r')) i++;
  if (s[i] === '\n') i++;
  return i;
}

export function readStatement(text: string): Statement {
  let tok = next(text, 0);
  let kind = '';
  let kindEnd: number | undefined;
  let depth = 0;
  let format: string | undefined;
  let sawSelect = false;
  let settingsAt: number | undefined;
  // the token before this one: after INTO, TABLE, FUNCTION or a `.`, FORMAT and VALUES are a table's name (`INSERT INTO values SELECT …`)
  let prev = '';
  for (; tok.type !== 'end'; prev = tok.type === 'word' ? tok.text.toUpperCase() : tok.text, tok = next(text, tok.end)) {
    if (tok.type === 'punct') {
      if (tok.text === '(') depth++;
      else if (tok.text === ')') depth--;
      else if (tok.text === ';' && depth <= 0) {
        const rest = next(text, tok.end);
        return { kind, kindEnd, end: tok.start, multi: rest.type !== 'end', ...(format ? { format } : {}) };
      }
      continue;
    }
    if (tok.type !== 'word') continue;
    const word = tok.text.toUpperCase();
    if (!kind) (kind = word), (kindEnd = tok.end);
    if (depth > 0) continue;
    if (prev === 'INTO' || prev === 'TABLE' || prev === 'FUNCTION' || prev === '.') continue;
    if (word === 'SELECT' || word === 'WITH') sawSelect = true;
    if (word === 'SETTINGS' && kind === 'INSERT' && settingsAt === undefined) settingsAt = tok.start;
    if (word === 'FORMAT') {
      const name = next(text, tok.end);
      if (name.type === 'word' || name.type === 'quoted' || name.type === 'string') {
        format = name.text;
        if (kind === 'INSERT' && !sawSelect) {
          const start = dataOffset(text, name.end);
          return { kind, format, dataStart: start, insertPrefix: text.slice(0, name.end), clauseStart: settingsAt ?? tok.start, dataKeyword: tok.start, end: text.length, multi: false };
        }
        tok = name;
      }
    } else if (word === 'VALUES' && kind === 'INSERT' && !sawSelect) {
      return { kind, format: 'Values', dataStart: tok.end, insertPrefix: text.slice(0, tok.end), clauseStart: settingsAt ?? tok.start, dataKeyword: tok.start, end: text.length, multi: false };
    }
  }
  return { kind, kindEnd, end: text.length, multi: false, ...(format ? { format } : {}) };
}
