import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from './engine.ts';
import type { Work } from './work.ts';

/**
 * chDB's raw insert hands the bytes to the format's parser without a copy, but it reads them as
 * the statement's inline data: it stops at a blank line (rows after it are dropped without an
 * error), binary data can hold one anywhere, and a format that ends at a `;` (VALUES does)
 * leaves the text after it to be run as the next statement — SQL this gateway never checked.
 * So only a text body of a line format, without a blank line or a `;`, takes it; any other
 * body goes through a file of its own (`INSERT … FROM INFILE`), which chDB reads whole as data.
 */
const lineFormats = /^(TabSeparated|TSV|CSV|JSONEachRow|JSONCompactEachRow|JSONStringsEachRow|JSONCompactStringsEachRow)$/i;
let fileSeq = 0;
/** where bodies wait for FROM INFILE: one folder per process, removed when the gateway closes */
export const stagingDir = () => join(tmpdir(), `haidang-store-${process.pid}`);
export async function insertData(c: Connection, w: Extract<Work, { insert: unknown }>['insert']): Promise<{ rows: number; bytes: number; elapsed: number }> {
  if (lineFormats.test(w.format) && w.data.indexOf('\n\n') < 0 && w.data.indexOf('\n\r\n') < 0 && w.data.indexOf(';') < 0) {
    const r = await c.insert(w.prefix, w.data);
    return { rows: r.rowsWritten, bytes: r.bytesWritten, elapsed: r.elapsed };
  }
  const dir = stagingDir();
  // 0700: bodies wait here, and they are the city's data
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `insert-${++fileSeq}-${randomUUID()}`);
  await writeFile(path, w.data);
  try {
    const r = await c.run(w.fromFile(path));
    return { rows: r.rowsRead, bytes: r.bytesRead, elapsed: r.elapsed };
  } finally {
    await rm(path, { force: true });
  }
}
