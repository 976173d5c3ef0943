// `sandbuild diff --json` gives the playground's result: the CLI, spawned as a user runs it, prints the
// same document as diffJson over the worker's `diff` answer (the call the diff view makes) for the same
// tarballs, options and policy. (audit.test.ts checks the text output and exit statuses.)

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditPolicy } from '../audit/index.ts';
import { api } from '../worker/api.ts';
import { diffJson } from './diff.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/sandbuild.mjs');
const tgz = (name: string) => path.join(ROOT, 'public/examples', `${name}.tar.gz`);

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

async function playground(oldName: string, newName: string, engine: 'interp' | 'native' = 'interp') {
  const side = (n: string) => ({ name: `${n}.tar.gz`, archive: new Uint8Array(readFileSync(tgz(n))) });
  const r = await api.diff(side(oldName), side(newName), { options: {}, policy: auditPolicy(), engine });
  if (!r.ok) throw new Error(r.error.message);
  const { a, b, diff } = r.value;
  return { doc: JSON.parse(JSON.stringify(diffJson(a.name, b.name, a, b, diff!))), diff: diff! };
}

describe('sandbuild diff --json = the playground diff', () => {
  for (const [oldName, newName] of [['g-v1', 'g-v2'], ['g-v2', 'g-v1'], ['a-hello-lib', 'c-exfiltrate']] as const) {
    it(`${oldName} -> ${newName}`, async () => {
      const [r, p] = await Promise.all([cli('diff', tgz(oldName), tgz(newName), '--json'), playground(oldName, newName)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(p.diff.regressed ? 3 : 0);
      expect(JSON.parse(r.stdout)).toEqual(p.doc);
    });
  }

  it('the v1 -> v2 document names the added step and its denied requests', async () => {
    const { doc } = await playground('g-v1', 'g-v2');
    expect(doc.steps.added.map((s: { name: string }) => s.name)).toEqual(['check zig version']);
    expect(doc.capsAddedDenied.map((c: { kind: string; rule: string }) => `${c.kind} ${c.rule}`)).toEqual(['exec capabilities.default', 'net capabilities.default']);
    expect(doc.syscalls.added).toEqual([]);
  });

  it('--engine native agrees', async () => {
    const [r, p] = await Promise.all([cli('diff', tgz('g-v1'), tgz('g-v2'), '--json', '--engine', 'native'), playground('g-v1', 'g-v2', 'native')]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual(p.doc);
  });
});
