// The committed .sandbuild/build.wasm of every example was compiled from the sources now in the repo:
// its recorded inputs (package files, graph runner, std patches) match. Needs no Zig; the full rebuild
// comparison is `npx tsx scripts/examples-build.ts --check`.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUEST_DIR } from '../src/zig/compile.ts';
import { INPUTS_FILE, staleInputs, type BuildInputs } from '../src/zig/inputs.ts';
import { EXAMPLES_DIR, exampleNames, TARBALL_DIR } from './examples-build.ts';

describe('committed example builds', () => {
  const names = exampleNames();

  it('has the seven packages of issue 4 (g as a v1/v2 pair)', () => {
    for (const prefix of ['a-', 'b-', 'c-', 'd-', 'e-', 'f-', 'g-v1', 'g-v2']) {
      expect(names.some((n) => n.startsWith(prefix)), prefix).toBe(true);
    }
  });

  for (const name of names) {
    it(`${name}: build.wasm and tarball are up to date with the sources`, () => {
      const dir = path.join(EXAMPLES_DIR, name);
      const recordedPath = path.join(dir, '.sandbuild', INPUTS_FILE);
      expect(existsSync(path.join(dir, '.sandbuild', 'build.wasm')), 'build.wasm committed').toBe(true);
      expect(existsSync(path.join(TARBALL_DIR, `${name}.tar.gz`)), 'tarball committed').toBe(true);
      const recorded = JSON.parse(readFileSync(recordedPath, 'utf8')) as BuildInputs;
      expect(staleInputs(recorded, dir, GUEST_DIR), `stale: run npx tsx scripts/examples-build.ts ${name}`).toEqual([]);
    });
  }
});
