// Under `npm start`, a package without .sandbuild/build.wasm is compiled by the dev server's endpoint with
// the project's Zig pipeline; Zig's diagnostics are shown when build.zig does not compile. Runs the Vite
// dev server in this process (it is what `npm start` runs) and needs the Zig toolchain from npm.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packDirectory } from '../src/zig/tarball.ts';
import { expectedFor } from './expected.ts';
import { packageTarball } from './fixtures.ts';
import { CHROMIUM, CHROMIUM_ARGS, graphAttrs, ROOT, screenshot, settle } from './harness.ts';

let server: ViteDevServer;
let context: BrowserContext;
let page: Page;
let url: string;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-dev-e2e-'));
  server = await createServer({ root: ROOT, configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn', server: { port: 0, strictPort: false } });
  await server.listen();
  const addr = server.httpServer?.address();
  if (!addr || typeof addr === 'string') throw new Error('dev server has no port');
  url = `http://127.0.0.1:${addr.port}/`;
  context = await chromium.launchPersistentContext(await mkdtemp(path.join(os.tmpdir(), 'sandbuild-chromium-')), {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await server?.close();
});

describe('dev server compile endpoint', () => {
  it('compiles a package without build.wasm, then audits it', async () => {
    const tgz = await packDirectory(path.join(ROOT, 'examples', 'c-exfiltrate'), (rel) => rel.startsWith('.sandbuild'));
    const file = path.join(scratch, 'c-exfiltrate-source.tar.gz');
    await writeFile(file, tgz);
    // The same package with its committed wasm is what the audit reports on.
    const want = await expectedFor(new Uint8Array(await packDirectory(path.join(ROOT, 'examples', 'c-exfiltrate'))));
    await page.goto(url);
    await page.locator('[data-testid=file-input]').first().setInputFiles(file);
    await page.waitForSelector('[data-testid=compiling]');
    expect(await settle(page, 180_000)).toBe('ready');
    const got = await graphAttrs(page);
    expect(got.nodes).toBe(want.steps + 1);
    expect(got.denied).toBe(want.deniedSteps);
    expect(await page.textContent('[data-testid=status]')).toMatch(/compiled on the dev server/);
  });

  it("shows Zig's errors when build.zig does not compile", async () => {
    const file = path.join(scratch, 'broken-zig.tar.gz');
    await writeFile(file, await packageTarball(null, 'const std = @import("std");\npub fn build(b: *std.Build) void {\n    const x: u32 = "nope";\n    _ = b;\n    _ = x;\n}\n'));
    await page.goto(url);
    await page.locator('[data-testid=file-input]').first().setInputFiles(file);
    expect(await settle(page, 180_000)).toBe('error');
    const text = (await page.textContent('[data-testid=error]')) ?? '';
    expect(text).toContain('build.zig:3:');
    expect(text).toContain("expected type 'u32'");
    await screenshot(page, 'dev-zig-error');
  });
});
