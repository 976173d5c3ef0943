import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { compilePlugin } from './src/app/server/compile-plugin.ts';
import { samplesPlugin } from './src/app/server/samples-plugin.ts';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  // Relative URLs everywhere, so `dist/` works from any static host and any sub-path.
  base: './',
  plugins: [svelte(), samplesPlugin(root), compilePlugin()],
  server: { port: 5173, strictPort: true, host: '127.0.0.1' },
  preview: { port: 4173, strictPort: false, host: '127.0.0.1' },
  worker: { format: 'es' },
  // Monaco's editor chunk (2.7 MB, loaded only when a Monaco pane opens) is the largest.
  build: { target: 'es2022', chunkSizeWarningLimit: 3072 },
});
