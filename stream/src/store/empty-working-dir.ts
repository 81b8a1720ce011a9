import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string | undefined;

/**
 * Runs `start` (which starts chDB) from an empty folder of this process's own (mode 0700),
 * then returns to the working directory it left. clickhouse-local's default database falls back
 * to the file system: a name that is no table is read as a file, relative to the folder the
 * engine started in — from the repository, `SELECT * FROM LICENSE` would read it. Started here,
 * such a name finds nothing. (Paths with `/` are refused before the engine: host-access.ts.)
 * The folder is removed when the process exits. Where the process cannot change its folder (a
 * worker thread) chDB starts where it is.
 */
export function inEmptyWorkingDir<T>(start: () => T): T {
  if (!dir) {
    const made = mkdtempSync(join(tmpdir(), 'haidang-chdb-'));
    dir = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const back = process.cwd();
  try {
    process.chdir(dir);
  } catch {
    return start();
  }
  try {
    return start();
  } finally {
    process.chdir(back);
  }
}
