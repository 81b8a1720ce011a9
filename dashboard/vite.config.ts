import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The wall's build. The api serves dist/ from the same origin, so the app uses relative
 * /api/v1 and /socket.io paths; `npm run dev -w @haidang/dashboard` proxies them to a local
 * `haidang start` (HAIDANG_API, default http://127.0.0.1:8080).
 */
const api = process.env.HAIDANG_API ?? 'http://127.0.0.1:8080';
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': api, '/socket.io': { target: api, ws: true } } },
});
