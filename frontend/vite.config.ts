import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The UI is built into frontend/dist and served by the Worker as static assets (wrangler.toml [assets]).
// `npm run dev:ui` serves it with hot reload and proxies the API to a running `npm start`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/api', '/admin', '/external', '/health'].map((p) => [p, 'http://127.0.0.1:8787'])),
  },
});
