import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlString } from '../sql-string.ts';
import { refuseColumnExpressions, refuseFormatName } from './host-access.ts';
import { HttpError } from './http-error.ts';
import { stagingDir } from './insert.ts';

/** what the URL says of one external table: `<name>_structure`, `<name>_types`, `<name>_format` */
export interface ExternalSpec {
  structure?: string;
  types?: string;
  format?: string;
}

/** the URL parameters of external tables in a multipart request (ClickHouse's reserved suffixes) */
export const externalParam = /^([A-Za-z_][A-Za-z0-9_]*)_(structure|types|format)$/;

/** external tables one statement may take (each is a file and a common table expression) */
const mostTables = 64;

/** one external table, staged as a file for the statement */
interface Staged {
  name: string;
  path: string;
  format: string;
  structure: string;
}

/** `a, Tuple(b, c), d` split at the commas outside parentheses */
function topLevelList(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) out.push(s.slice(from, i).trim()), (from = i + 1);
  }
  out.push(s.slice(from).trim());
  return out.filter(Boolean);
}

/**
 * ClickHouse's "external data" over HTTP: a multipart body whose file parts are tables the
 * statement may read, named by their part, with their structure (`<name>_structure`, or
 * `<name>_types` for columns `_1`, `_2`, …) and format (`<name>_format`, default
 * TabSeparated) in the URL. chDB has no such tables, so each part is written to a file of the
 * gateway's own folder and the statement gets a common table expression of that name reading
 * it (`WITH name AS (SELECT * FROM file(…))`), which hides a stored table of the same name as
 * an external table does in ClickHouse. The files are removed when the statement is done.
 */
export class ExternalData {
  private constructor(private readonly staged: Staged[]) {}

  static async stage(contentType: string, body: Buffer, specs: ReadonlyMap<string, ExternalSpec>): Promise<ExternalData> {
    let form: FormData;
    try {
      form = await new Response(new Blob([body as Buffer<ArrayBuffer>]), { headers: { 'content-type': contentType } }).formData();
    } catch (e) {
      throw new HttpError(400, 27, `Cannot read the multipart body of external data: ${(e as Error).message} (CANNOT_PARSE_INPUT_ASSERTION_FAILED)`);
    }
    const staged: Staged[] = [];
    const done = new ExternalData(staged);
    try {
      const dir = join(stagingDir(), 'external');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const [name, value] of form) {
        if (typeof value === 'string') continue; // a plain field: ClickHouse reads tables from file parts only
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new HttpError(400, 36, `External table name '${name.slice(0, 100)}' is not an identifier (BAD_ARGUMENTS)`);
        if (staged.some((t) => t.name === name)) throw new HttpError(400, 36, `External table '${name}' is given twice (BAD_ARGUMENTS)`);
        if (staged.length >= mostTables) throw new HttpError(400, 36, `More than ${mostTables} external tables in one request (BAD_ARGUMENTS)`);
        const spec = specs.get(name) ?? {};
        if (spec.structure) refuseColumnExpressions(topLevelList(spec.structure), `${name}_structure`);
        if (spec.types) refuseColumnExpressions(topLevelList(spec.types), `${name}_types`);
        if (spec.format) refuseFormatName(spec.format);
        const structure = spec.structure ?? (spec.types ? topLevelList(spec.types).map((t, i) => `_${i + 1} ${t}`).join(', ') : undefined);
        if (!structure) throw new HttpError(400, 36, `Neither structure nor types have been provided for external table ${name}. Use fields ${name}_structure or ${name}_types to do so. (BAD_ARGUMENTS)`);
        const path = join(dir, `${randomUUID()}.data`);
        staged.push({ name, path, format: spec.format || 'TabSeparated', structure });
        await writeFile(path, Buffer.from(await value.arrayBuffer()), { mode: 0o600 });
      }
    } catch (e) {
      await done.remove();
      throw e;
    }
    return done;
  }

  get size(): number {
    return this.staged.length;
  }

  /** the statement with a common table expression for each external table; only a SELECT (or WITH … SELECT) can take them */
  around(work: { query: string; kind: string; lead: string }): string {
    if (!this.staged.length) return work.query;
    const ctes = this.staged.map((t) => `${t.name} AS (SELECT * FROM file(${sqlString(t.path)}, ${sqlString(t.format)}, ${sqlString(t.structure)}))`).join(', ');
    if (work.kind === 'WITH') return `${work.lead} ${ctes}, ${work.query.slice(work.lead.length)}`;
    if (work.kind === 'SELECT') return `WITH ${ctes} ${work.query}`;
    throw new HttpError(400, 48, `External data is supported by haidang store for SELECT queries, not ${work.kind} (NOT_IMPLEMENTED)`);
  }

  async remove(): Promise<void> {
    await Promise.all(this.staged.map((t) => rm(t.path, { force: true })));
  }
}
