// e2e harness: serve the static build (dist/) with `vite preview` on a free local port and drive Debian's
// Chromium through playwright-core. Nothing reaches the network: Chromium runs with background networking,
// component updates and sync off, in a fresh profile directory.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = path.join(ROOT, 'e2e', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  url: string;
  /** Uncaught page errors and console errors so far (tests assert it stays empty). */
  errors: string[];
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Where the site is built and served from: `SANDBUILD_E2E_DIST` (parallel runs each need their own) or dist/. */
export const DIST = path.resolve(ROOT, process.env.SANDBUILD_E2E_DIST ?? 'dist');

/** Build the site with `vite build` as users get it. */
export function buildDist(): void {
  // A separate process: under vitest NODE_ENV is 'test', and an in-process build would come out as a
  // development build (import.meta.env.DEV true), not the static site users get from `npm run build`.
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--outDir', DIST, '--emptyOutDir'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/** Serve dist/ (built first unless SANDBUILD_E2E_NO_BUILD=1 and it exists; e2e/global-setup.ts builds once), open a page. */
export async function startHarness(opts: { build?: boolean } = {}): Promise<Harness> {
  if (opts.build !== false && !(process.env.SANDBUILD_E2E_NO_BUILD === '1' && existsSync(DIST))) buildDist();
  const server: PreviewServer = await preview({ root: ROOT, logLevel: 'warn', configFile: path.join(ROOT, 'vite.config.ts'), build: { outDir: DIST }, preview: { port: 0, host: '127.0.0.1' } });
  const addr = server.httpServer.address();
  if (!addr || typeof addr === 'string') throw new Error('preview server has no port');
  const url = `http://127.0.0.1:${addr.port}/`;
  const profile = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-chromium-'));
  // A fresh profile per run (playwright passes it as --user-data-dir).
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    url,
    errors,
    context,
    page,
    async close() {
      await context.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Drop a package through the real file input and wait until the run settles (ready or error). */
export async function openPackage(page: Page, file: string): Promise<string> {
  await page.locator('[data-testid=file-input]').first().setInputFiles(file);
  return settle(page);
}

export async function settle(page: Page, timeout = 120_000): Promise<string> {
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid=status]');
      const p = s?.getAttribute('data-phase');
      return p === 'ready' || p === 'error';
    },
    undefined,
    { timeout, polling: 50 },
  );
  return (await page.getAttribute('[data-testid=status]', 'data-phase')) ?? '';
}

export async function graphAttrs(page: Page): Promise<Record<string, number>> {
  const el = page.locator('[data-testid=graph]');
  const out: Record<string, number> = {};
  for (const k of ['nodes', 'edges', 'denied', 'blocked', 'draw-ms', 'configure-denied', 'steps-total']) out[k] = Number(await el.getAttribute(`data-${k}`));
  return out;
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
