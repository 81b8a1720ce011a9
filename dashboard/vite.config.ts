import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes a .br and a .gz beside every text asset of the build, once, at build time: the api
 * (@fastify/static, preCompressed) sends the one the browser accepts without compressing per
 * request. 1.4 MB of JS becomes about 330 KB over the wire (brotli).
 */
function precompress(): Plugin {
  return {
    name: 'haidang-precompress',
    apply: 'build',
    writeBundle(options) {
      const dir = options.dir!;
      const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
      for (const f of walk(dir)) {
        if (!/\.(js|css|html|svg|json)$/.test(f)) continue;
        const b = readFileSync(f);
        if (b.length < 1024) continue;
        writeFileSync(`${f}.br`, brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }));
        writeFileSync(`${f}.gz`, gzipSync(b, { level: 9 }));
      }
    },
  };
}

/**
 * The wall's build. The api serves dist/ from the same origin, so the app uses relative
 * /api/v1 and /socket.io paths; `npm run dev -w @haidang/dashboard` proxies them to a local
 * `haidang start` (HAIDANG_API, default http://127.0.0.1:8080).
 */
const api = process.env.HAIDANG_API ?? 'http://127.0.0.1:8080';
export default defineConfig({
  plugins: [react(), precompress()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': api, '/socket.io': { target: api, ws: true } } },
});
