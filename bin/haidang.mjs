#!/usr/bin/env node
// Launcher: runs the command line from a bundle of the TypeScript sources (bin/cli-bundle.mjs),
// built on first use and whenever a source changes, so `npm install` stays the only build step.
// Where the bundle cannot be built (node_modules not writable), the sources run through tsx.
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { bundled } from './cli-bundle.mjs';

const entry = fileURLToPath(new URL('./cli.ts', import.meta.url));
let bundle;
try {
  bundle = await bundled(entry, { root: dirname(dirname(entry)) });
} catch (e) {
  process.stderr.write(`haidang: running through tsx, the bundle could not be built (${e instanceof Error ? e.message.split('\n')[0] : e})\n`);
}
if (bundle) {
  // stack traces name the TypeScript sources, as under tsx
  process.setSourceMapsEnabled(true);
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli.ts');
}
