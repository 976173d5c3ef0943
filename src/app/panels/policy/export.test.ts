import { describe, expect, it } from 'vitest';
import { auditPolicy } from '../../../audit/index.ts';
import { parsePolicyText, PolicyEngine } from '../../../policy/index.ts';
import { policyJsonSchema } from '../../../policy/json-schema.ts';
import { Ajv } from 'ajv';
import { packageSlug, policyFileName, policyFileText } from './export.ts';
import { PRESETS } from './presets.ts';

describe('learned policy export', () => {
  it('names the file after the package', () => {
    expect(policyFileName('c-exfiltrate.tar.gz')).toBe('sandbuild-policy.c-exfiltrate.json');
    expect(policyFileName('/tmp/x/My Pkg.TGZ')).toBe('sandbuild-policy.My-Pkg.json');
    expect(packageSlug('../../evil".tar')).toBe('evil');
    expect(packageSlug(null)).toBe('package');
    expect(packageSlug('.tar.gz')).toBe('package');
  });

  it('writes a policy that parses back to itself', () => {
    const engine = new PolicyEngine({ ...auditPolicy(), mode: 'learn' });
    engine.fs('read', 'build.zig');
    engine.fs('read', 'root/.ssh/id_rsa', () => 'outside');
    const learned = engine.learned();
    const text = policyFileText(learned);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parsePolicyText(text)).toEqual(learned);
  });
});

describe('presets', () => {
  it('every preset passes the editor schema', () => {
    const validate = new Ajv({ strict: true }).compile(policyJsonSchema());
    for (const p of PRESETS) expect(validate(JSON.parse(JSON.stringify(p.policy))), `${p.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });
});
