import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadLetterReasons } from '../src/contracts/dead-letter.ts';
import { errorCodes, type ErrorCode } from '../src/errors.ts';

/**
 * The catalogue (stream/src/errors.ts) is the one list of codes: every code the source uses
 * is in it and documented, every code in it is used somewhere, and retryability has one spelling.
 */
const root = resolve(import.meta.dirname, '../..');
const sourceDirs = ['stream/src', 'city/src', 'ingest/src', 'api/src', 'dashboard/src', 'bin'];
const catalogueFile = 'stream/src/errors.ts';
/** lists taken from the catalogue (titles of the ingest problems): naming a code there is not using it */
const derivedLists = new Set(['ingest/src/push/ingest-error.ts']);

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* files(path);
    else if (/\.(ts|tsx|mts|mjs)$/.test(e.name)) yield path;
  }
}
const sources = sourceDirs.flatMap((d) => [...files(d)]).map((path) => ({ path: relative(root, join(root, path)), text: readFileSync(join(root, path), 'utf8') }));
const codesIn = (text: string) => new Set(text.match(/\bHD_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g) ?? []);

const named = new Map<string, string[]>();
const used = new Set<string>();
for (const f of sources) {
  if (f.path === catalogueFile) continue;
  for (const c of codesIn(f.text)) {
    named.set(c, [...(named.get(c) ?? []), f.path]);
    if (!derivedLists.has(f.path)) used.add(c);
  }
}
const listed = Object.keys(errorCodes) as ErrorCode[];
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const errorsSection = readme.slice(readme.indexOf('### Errors'), readme.indexOf('\n## ', readme.indexOf('### Errors')));
const contracts = readFileSync(join(root, 'docs/contracts.md'), 'utf8');

describe('the error catalogue', () => {
  it('lists every code the source uses', () => {
    const unlisted = [...named.keys()].filter((c) => !(c in errorCodes)).map((c) => `${c} (${named.get(c)!.join(', ')})`);
    expect(unlisted).toEqual([]);
  });

  it('lists no code the source does not use', () => {
    expect(listed.filter((c) => !used.has(c))).toEqual([]);
  });

  it.each(listed)('%s has an HTTP status, a retryability and a line of documentation', (c) => {
    const e = errorCodes[c];
    expect(Number.isInteger(e.status) && e.status >= 400 && e.status <= 599).toBe(true);
    expect(typeof e.retryable).toBe('boolean');
    expect(e.doc.length).toBeGreaterThan(20);
  });

  it.each(listed)("the README's Errors table documents %s with its status and retryability", (c) => {
    const row = errorsSection.split('\n').find((l) => l.startsWith(`| \`${c}\` |`));
    expect(row, `no row for ${c} in README.md ### Errors`).toBeDefined();
    const [, status, retryable, meaning] = row!.split(' | ');
    expect(Number(status)).toBe(errorCodes[c].status);
    expect(retryable).toBe(errorCodes[c].retryable ? 'yes' : 'no');
    expect(meaning!.length).toBeGreaterThan(20);
  });

  it('the README documents no code that is not listed', () => {
    expect([...codesIn(errorsSection)].filter((c) => !(c in errorCodes))).toEqual([]);
  });

  it.each([...deadLetterReasons])('dead-letter reason %s is in the catalogue and documented in docs/contracts.md', (r) => {
    expect(errorCodes[r]).toMatchObject({ deadLetter: true });
    expect(contracts).toContain(`| \`${r}\` |`);
  });

  it('retryability has one spelling: `retryable`', () => {
    const misspelt = sources.filter((f) => /\.retriable\b|\bretriable\s*[:=(]|get retriable\b/.test(f.text)).map((f) => f.path);
    expect(misspelt).toEqual([]);
  });
});
