// The command line as one ESM bundle (an entry and the chunks of each command), built by esbuild
// (installed with tsx) from the TypeScript sources and kept under node_modules/.cache/haidang:
// a process that loads it carries no
// loader. Running the sources through tsx's loader costs every process a thread with a V8
// heap of its own (~35 MiB: bench/peers.ts, "What a worker's memory is made of").
//
// The bundle holds our workspaces' code only; packages stay outside it and load from
// node_modules as before. `import.meta.url`/`dirname`/`filename` keep naming each source
// file, so files read beside a module (the frozen migrations) are found where they are. The
// bundle is rebuilt when one of its sources changes (time or size) or is gone; a new source
// comes with an import added to one that is there, which changes that one. Processes starting
// side by side each build their own folder and rename the manifest into place, so none reads a
// half-written one.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** a change here that changes the bundle's shape */
const layout = 2;

/** `import.meta.*` of a source file as the file's own values */
function pinMeta(text, file) {
  return text
    .replaceAll('import.meta.dirname', JSON.stringify(dirname(file)))
    .replaceAll('import.meta.filename', JSON.stringify(file))
    .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href));
}

/** the bundle the manifest names, if every source it was built from is as it was then */
function fresh(manifestPath, root) {
  let m;
  try {
    m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (m.layout !== layout) return undefined;
    statSync(m.bundle);
  } catch {
    return undefined;
  }
  for (const [input, mtimeMs, size] of m.inputs) {
    try {
      const st = statSync(resolve(root, input));
      // any change, to an older time too (a file copied with its times kept)
      if (st.mtimeMs !== mtimeMs || st.size !== size) return undefined;
    } catch {
      return undefined;
    }
  }
  return m.bundle;
}

/**
 * The path of the bundle of `entry` (a .ts file under `root`), built now if missing or stale.
 * `local` names the bare imports bundled in (our workspaces); every other package stays outside.
 */
export async function bundled(entry, { root, cacheDir = join(root, 'node_modules', '.cache', 'haidang'), local = /^@haidang\// }) {
  const name = relative(root, entry).replaceAll(/[/\\]/g, '_').replace(/\.ts$/, '');
  const manifestPath = join(cacheDir, `${name}.json`);
  const ready = fresh(manifestPath, root);
  if (ready) return ready;
  const { build } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const startedAtMs = Date.now();
  // a folder per build: the entry and the chunks its dynamic imports load (a command's modules,
  // with the packages only they import, load when that command runs)
  const outdir = join(cacheDir, `${name}-${process.pid}-${startedAtMs}`);
  const outfile = join(outdir, 'main.mjs');
  const result = await build({
    entryPoints: { main: entry },
    absWorkingDir: root,
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'haidang-sources',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => (local.test(args.path) || args.path.startsWith('/') ? undefined : { path: args.path, external: true }));
          b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => ({ contents: pinMeta(readFileSync(args.path, 'utf8'), args.path), loader: 'ts' }));
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => {
    const st = statSync(resolve(root, input));
    return [input, st.mtimeMs, st.size];
  });
  // a source saved while the build ran: this bundle serves this process, the next one builds again
  if (inputs.every(([, mtimeMs]) => mtimeMs < startedAtMs)) {
    const tmp = `${manifestPath}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ layout, bundle: outfile, inputs }));
    renameSync(tmp, manifestPath);
  }
  // earlier builds: gone once no process can still be about to load them
  for (const f of readdirSync(cacheDir)) {
    const path = join(cacheDir, f);
    if (f.startsWith(`${name}-`) && path !== outdir && statSync(path).mtimeMs < startedAtMs - 60_000) rmSync(path, { recursive: true, force: true });
  }
  return outfile;
}
