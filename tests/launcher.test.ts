import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFile, execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { bundled } from '../bin/cli-bundle.mjs';

const root = mkdtempSync(join(tmpdir(), 'haidang-launcher-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** a source as saved `agoMs` before now */
const write = (rel: string, text: string, agoMs = 60_000) => {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
  const at = new Date(Date.now() - agoMs);
  utimesSync(join(root, rel), at, at);
};
const run = async (): Promise<string> => {
  const bundle: string = await bundled(join(root, 'bin/main.ts'), { root, local: /^@city\// });
  return execFileSync(process.execPath, [bundle], { cwd: root, encoding: 'utf8' }).trim();
};

describe('the command line runs from a bundle of its sources', () => {
  // a workspace package (bundled in), a file read beside its module, a package left outside
  write('node_modules/@city/lib/package.json', JSON.stringify({ name: '@city/lib', type: 'module', exports: { '.': './src/index.ts' } }));
  write('node_modules/@city/lib/src/index.ts', "import { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\nexport const word = (): string => readFileSync(join(import.meta.dirname, 'word.txt'), 'utf8').trim();\nexport const here = import.meta.url;\n");
  write('node_modules/@city/lib/src/word.txt', 'one\n');
  write('node_modules/outside/package.json', JSON.stringify({ name: 'outside', type: 'module', exports: './index.js' }));
  write('node_modules/outside/index.js', 'export const loaded = globalThis.outsideLoads = (globalThis.outsideLoads ?? 0) + 1;\n');
  write('bin/main.ts', "import { word, here } from '@city/lib';\nimport { loaded } from 'outside';\nimport { part } from './part.ts';\nconst n: number = loaded;\nconsole.log([word(), part, n, here.endsWith('/@city/lib/src/index.ts')].join(' '));\n");
  write('bin/part.ts', "export const part = 'a';\n");

  it('reads the files beside its modules where they are, and loads packages from node_modules', async () => {
    expect(await run()).toBe('one a 1 true');
    // the package stayed outside the bundle
    const built = readdirSync(join(root, 'node_modules/.cache/haidang')).filter((f) => !f.endsWith('.json'));
    expect(built).toHaveLength(1);
  });

  it('is rebuilt when a source changes, and kept while none does', async () => {
    const first: string = await bundled(join(root, 'bin/main.ts'), { root, local: /^@city\// });
    expect(await bundled(join(root, 'bin/main.ts'), { root, local: /^@city\// })).toBe(first);
    // the same size, saved later: a new bundle; then it is kept
    write('bin/part.ts', "export const part = 'b';\n", 30_000);
    expect(await run()).toBe('one b 1 true');
    const second: string = await bundled(join(root, 'bin/main.ts'), { root, local: /^@city\// });
    expect(second).not.toBe(first);
    expect(await bundled(join(root, 'bin/main.ts'), { root, local: /^@city\// })).toBe(second);
    // a file put back with an older time (copied with its times kept) counts as a change too
    write('bin/part.ts', "export const part = 'c';\n", 120_000);
    expect(await run()).toBe('one c 1 true');
  });

  it('loads a module imported on demand, and the packages only it imports, when it is asked for', async () => {
    // a command's module and its package (the api's PDF, say) stay unloaded in a process that runs another command
    write('node_modules/heavy/package.json', JSON.stringify({ name: 'heavy', type: 'module', exports: './index.js' }));
    write('node_modules/heavy/index.js', "console.log('heavy loaded');\nexport const h = 'h';\n");
    write('bin/command.ts', "import { h } from 'heavy';\nexport const run = (): string => h;\n");
    write('bin/main.ts', "const which = process.env.COMMAND;\nif (which === 'heavy') console.log((await import('./command.ts')).run());\nelse console.log('light');\n", 20_000);
    expect(await run()).toBe('light');
    process.env.COMMAND = 'heavy';
    try {
      expect(await run()).toBe('heavy loaded\nh');
    } finally {
      delete process.env.COMMAND;
    }
  });

  it('is rebuilt when a source it was built from is gone', async () => {
    write('bin/main.ts', "console.log('alone');\n", 10_000);
    rmSync(join(root, 'bin/part.ts'));
    expect(await run()).toBe('alone');
  });
});

describe('haidang', () => {
  const repoRoot = join(import.meta.dirname, '..');
  it('runs from the bundle of its own sources, without falling back to tsx', async () => {
    const bundle: string = await bundled(join(repoRoot, 'bin/cli.ts'), { root: repoRoot });
    expect(bundle).toMatch(/node_modules\/\.cache\/haidang\/bin_cli-.*\.mjs$/);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(repoRoot, 'bin/haidang.mjs'), '--help'], { cwd: repoRoot });
    expect(stdout).toContain('Usage: haidang');
    expect(stderr).toBe('');
  });
});
