import { describe, expect, it } from 'vitest';
import { decideCapability, learnedCapabilities, type CapabilityRequest } from './capabilities.ts';
import { parsePolicy, PolicyError } from './schema.ts';

const req = (kind: CapabilityRequest['kind'], target: string, detail?: string, pkg = ''): CapabilityRequest => ({ kind, target, detail, package: pkg });

describe('capability decisions', () => {
  const policy = parsePolicy({
    version: 1,
    default: 'allow',
    capabilities: {
      default: 'deny',
      rules: [
        { id: 'built', kinds: ['exec'], details: ['artifact'], verdict: 'allow' },
        { id: 'no-shell', kinds: ['exec'], targets: ['{sh,bash}', '/bin/*'], verdict: 'deny' },
        { kinds: ['exec'], targets: ['git'], packages: ['alpha*'], verdict: 'allow' },
        { id: 'cdn', kinds: ['net'], targets: ['https://cdn.example.org/**'], verdict: 'allow' },
      ],
    },
  });

  it.each([
    [req('exec', 'hello', 'artifact'), 'allow', 'built'],
    [req('exec', 'sh', 'system'), 'deny', 'no-shell'],
    [req('exec', '/bin/bash', 'system'), 'deny', 'no-shell'],
    [req('exec', 'git', 'system', 'alpha'), 'allow', 'capabilities.rules[2]'],
    [req('exec', 'git', 'system', ''), 'deny', 'capabilities.default'],
    [req('net', 'https://cdn.example.org/blocks/x.tgz'), 'allow', 'cdn'],
    [req('net', 'https://cdn.example.org.evil.net/x'), 'deny', 'capabilities.default'],
    [req('host-lib', 'ssl'), 'deny', 'capabilities.default'],
  ])('%o → %s by %s', (r, verdict, rule) => expect(decideCapability(policy, r)).toEqual({ verdict, rule }));

  it('falls back to the policy default when the section is absent, ask becoming askFallback', () => {
    expect(decideCapability(parsePolicy({ version: 1, default: 'allow' }), req('net', 'https://x'))).toEqual({ verdict: 'allow', rule: 'default' });
    expect(decideCapability(parsePolicy({ version: 1 }), req('net', 'https://x'))).toEqual({ verdict: 'deny', rule: 'default' });
    expect(decideCapability(parsePolicy({ version: 1, default: 'ask', askFallback: 'allow' }), req('exec', 'sh'))).toEqual({
      verdict: 'allow',
      rule: 'default(askFallback)',
    });
  });

  it('allows everything in learn mode and learns the smallest section', () => {
    const learn = parsePolicy({ version: 1, mode: 'learn', capabilities: { default: 'deny' } });
    const reqs = [req('exec', 'sh', 'system'), req('net', 'https://a.test/{x}'), req('exec', 'git', 'system'), req('exec', 'sh', 'system'), req('exec', 'hello', 'artifact')];
    for (const r of reqs) expect(decideCapability(learn, r)).toEqual({ verdict: 'allow', rule: 'learn' });
    const section = learnedCapabilities(reqs);
    expect(section).toEqual({
      default: 'deny',
      rules: [
        { id: 'learned-exec-artifact', kinds: ['exec'], targets: ['hello'], details: ['artifact'], verdict: 'allow' },
        { id: 'learned-exec-system', kinds: ['exec'], targets: ['git', 'sh'], details: ['system'], verdict: 'allow' },
        { id: 'learned-net', kinds: ['net'], targets: ['https://a.test/?x?'], verdict: 'allow' },
      ],
    });
    const learned = parsePolicy({ version: 1, capabilities: section });
    for (const r of reqs) expect(decideCapability(learned, r).verdict).toBe('allow');
    expect(decideCapability(learned, req('exec', 'curl', 'system'))).toEqual({ verdict: 'deny', rule: 'capabilities.default' });
    // Learned for the artifact only: a system command of the same name is still denied.
    expect(decideCapability(learned, req('exec', 'hello', 'system'))).toEqual({ verdict: 'deny', rule: 'capabilities.default' });
  });

  it('rejects unknown capability kinds with the path to the problem', () => {
    try {
      parsePolicy({ version: 1, capabilities: { rules: [{ kinds: ['teleport'], verdict: 'allow' }] } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      expect((e as PolicyError).issues.join()).toMatch(/capabilities\.rules\.0\.kinds\.0/);
    }
  });
});
