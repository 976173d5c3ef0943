// The WASI testsuite as part of `npm test` (vitest): every wasm32-wasip1 test on both engines, through the
// same helpers as `npm run conformance:wasi`. Skipped when the suite is not checked out beside the repo.

import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTests, runOne, suiteDir } from '../../scripts/conformance-wasi.ts';
import { interpEngine } from '../interp/engine.ts';
import { nativeEngine } from '../interp/native/index.ts';

const present = existsSync(join(suiteDir, 'tests'));
const tests = present ? findTests() : [];

describe.skipIf(!present)('wasi-testsuite (wasm32-wasip1)', () => {
  it('has all 72 tests', () => expect(tests.length).toBe(72));
  for (const engine of [nativeEngine, interpEngine]) {
    describe(engine.name, () => {
      for (const t of tests) {
        it(basename(t, '.wasm'), () => expect(runOne(engine, t)).toEqual({ ok: true, why: '' }));
      }
    });
  }
});
