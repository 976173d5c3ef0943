// The generated JSON Schema must agree with parsePolicy: what the editor marks valid, Apply accepts, and
// what Apply refuses, the editor marks. Checked with an independent validator (ajv, draft-07).

import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import defaultPolicyJson from '../audit/default-policy.json' with { type: 'json' };
import { PolicyEngine } from './evaluate.ts';
import { POLICY_SCHEMA_URI, policyJsonSchema } from './json-schema.ts';
import { deterministicPolicy, parsePolicy, permissivePolicy } from './schema.ts';

const schema = policyJsonSchema();
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const parses = (data: unknown): boolean => {
  try {
    parsePolicy(data);
    return true;
  } catch {
    return false;
  }
};

const README_POLICY = {
  version: 1, mode: 'enforce', default: 'deny',
  fs: [
    { id: 'no-secrets', ops: ['read'], paths: ['**/.env'], verdict: 'deny' },
    { ops: ['read'], paths: ['**'], verdict: 'allow' },
    { ops: ['create', 'write', 'delete'], paths: ['zig-out/**', '.zig-cache/**'], verdict: 'allow' },
  ],
  env: { allow: ['PATH', 'ZIG_*'] },
  clock: { mode: 'fixed', epochNs: '1700000000000000000', stepNs: '1000' },
  random: { mode: 'seeded', seed: 1 },
  askFallback: 'deny',
  capabilities: { default: 'deny', rules: [
    { id: 'run-built-artifacts', kinds: ['exec'], details: ['artifact'], verdict: 'allow' },
    { id: 'cdn', kinds: ['net'], targets: ['https://cdn.example.org/**'], verdict: 'allow' },
    { kinds: ['exec'], targets: ['git'], packages: ['alpha'], verdict: 'allow' },
  ] },
};

describe('policyJsonSchema', () => {
  it('is draft-07 with an id, a title and descriptions for completion', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(POLICY_SCHEMA_URI);
    expect(schema.required).toEqual(['version']);
    const props = schema.properties as Record<string, { description?: string; items?: { properties?: Record<string, { description?: string; enum?: unknown[] }> } }>;
    expect(props.fs.description).toMatch(/first match wins/);
    expect(props.fs.items?.properties?.where.description).toMatch(/outside/);
    // Completion offers the verdicts and ops from the valibot picklists.
    expect(props.fs.items?.properties?.verdict.enum).toEqual(['allow', 'deny', 'ask']);
    expect(props.fs.items?.properties?.ops).toBeDefined();
  });

  it('accepts the shipped and documented policies, as written and as parsed', () => {
    const learned = new PolicyEngine(parsePolicy({ ...structuredClone(defaultPolicyJson), mode: 'learn' }));
    learned.fs('read', 'build.zig');
    learned.fs('read', 'root/.ssh/id_rsa', () => 'outside');
    for (const p of [defaultPolicyJson, README_POLICY, permissivePolicy(), deterministicPolicy(3), parsePolicy(defaultPolicyJson), learned.learned(), { version: 1 }]) {
      expect(validate(p), JSON.stringify(validate.errors)).toBe(true);
      expect(parses(p)).toBe(true);
    }
  });

  const BAD: [string, unknown][] = [
    ['wrong version', { version: 2 }],
    ['no version', { mode: 'enforce' }],
    ['unknown verdict', { version: 1, fs: [{ ops: ['read'], paths: ['**'], verdict: 'maybe' }] }],
    ['empty ops', { version: 1, fs: [{ ops: [], paths: ['**'], verdict: 'allow' }] }],
    ['unknown op', { version: 1, fs: [{ ops: ['exec'], paths: ['**'], verdict: 'allow' }] }],
    ['missing verdict', { version: 1, fs: [{ ops: ['read'], paths: ['**'] }] }],
    ['empty path', { version: 1, fs: [{ ops: ['read'], paths: [''], verdict: 'allow' }] }],
    ['bad where', { version: 1, fs: [{ ops: ['read'], paths: ['**'], where: 'above', verdict: 'allow' }] }],
    ['clock ns not digits', { version: 1, clock: { mode: 'fixed', epochNs: '17e17' } }],
    ['clock ns as number', { version: 1, clock: { mode: 'fixed', epochNs: 1700000000000000000 } }],
    ['unknown clock mode', { version: 1, clock: { mode: 'frozen' } }],
    ['seeded without seed', { version: 1, random: { mode: 'seeded' } }],
    ['fractional seed', { version: 1, random: { mode: 'seeded', seed: 1.5 } }],
    ['unknown capability kind', { version: 1, capabilities: { rules: [{ kinds: ['fork'], verdict: 'allow' }] } }],
    ['ask capability verdict', { version: 1, capabilities: { rules: [{ kinds: ['net'], verdict: 'ask' }] } }],
    ['env not a list', { version: 1, env: { allow: 'PATH' } }],
    ['not an object', [1]],
  ];
  for (const [name, p] of BAD) {
    it(`rejects a policy with ${name}, as parsePolicy does`, () => {
      expect(validate(p)).toBe(false);
      expect(parses(p)).toBe(false);
    });
  }

  it('agrees with parsePolicy on random edits of a valid policy', () => {
    // Replace one field of the README policy with an arbitrary JSON value: both validators must agree.
    const paths: (string | number)[][] = [
      ['version'], ['mode'], ['default'], ['askFallback'], ['fs', 0, 'ops'], ['fs', 0, 'ops', 0], ['fs', 1, 'paths', 0],
      ['fs', 0, 'verdict'], ['fs', 0, 'where'], ['fs', 0, 'id'], ['env', 'allow'], ['clock', 'mode'], ['clock', 'stepNs'],
      ['random', 'seed'], ['capabilities', 'default'], ['capabilities', 'rules', 1, 'targets'], ['capabilities', 'rules', 0, 'kinds', 0],
    ];
    const value = fc.oneof(
      fc.constantFrom('allow', 'deny', 'ask', 'read', 'exec', 'fixed', 'real', 'seeded', 'learn', 'outside', '', '**', '123', 1, 0, 2.5, -1, true, null, [], {}, ['read'], ['exec', 'net']),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...paths), value, (path, v) => {
        const p = structuredClone(README_POLICY) as Record<string | number, unknown>;
        let node = p;
        for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
        node[path[path.length - 1]] = v;
        expect(validate(p)).toBe(parses(p));
      }),
      { numRuns: 400 },
    );
  });
});
