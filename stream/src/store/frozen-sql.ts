import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** what separates statements in a migration's .sql file (and what its checksum joins them with) */
export const statementSeparator = '\n;\n';

/**
 * The statements of a migration, read from its frozen `.sql` file in migrations/: the exact
 * text that was applied, never generated from today's code, so a change to tables.ts can
 * only reach a store through a new migration.
 */
export function frozenStatements(file: string): string[] {
  const text = readFileSync(join(import.meta.dirname, 'migrations', file), 'utf8');
  return text.replace(/\n$/, '').split(statementSeparator);
}
