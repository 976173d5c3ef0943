import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/schema.ts';
import { parseGraphText } from './parse.ts';
import { capPolicyFrom } from './policy-adapter.ts';
import { blockedDependants, denials } from './views.ts';

const G = parseGraphText(readFileSync(new URL('./testdata/runner-output.json', import.meta.url), 'utf8'));

describe('capPolicyFrom', () => {
  it('denies by the matching capability rule and names it', () => {
    const policy = parsePolicy({
      version: 1,
      default: 'allow',
      capabilities: {
        rules: [
          { id: 'no-network', kinds: ['net'], verdict: 'deny' },
          { id: 'built-tools', kinds: ['exec'], details: ['artifact'], verdict: 'allow' },
          { kinds: ['exec'], targets: ['sh'], verdict: 'deny' },
        ],
      },
    });
    const found = denials(G, capPolicyFrom(policy)).map((d) => [G.steps[d.step].name, d.cap.kind, d.cap.target, d.rule]);
    expect(found).toEqual([
      ['run sh', 'exec', 'sh', 'capabilities.rules[2]'],
      ['run sh', 'net', 'https://x.example/i.sh', 'no-network'],
    ]);
    // The system command hangs off the top-level step "sys" only.
    const sys = G.top_level_steps.find((t) => t.name === 'sys')!.step;
    expect([...blockedDependants(G, capPolicyFrom(policy)).keys()]).toEqual([sys]);
  });

  it('falls back to the policy default, named as such', () => {
    const d = denials(G, capPolicyFrom(parsePolicy({ version: 1, default: 'deny' })));
    expect(new Set(d.map((x) => x.rule))).toEqual(new Set(['default']));
    expect(d.length).toBe(G.steps.reduce((n, s) => n + s.caps.length, 0));
  });
});
