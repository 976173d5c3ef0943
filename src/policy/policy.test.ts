import { describe, expect, it } from 'vitest';
import { PolicyEngine } from './evaluate.ts';
import { globMatch, namePatternMatch } from './glob.ts';
import { parsePolicy, parsePolicyText, PolicyError } from './schema.ts';

describe('globs', () => {
  it.each([
    ['**', '.', true],
    ['**', 'a/b/c', true],
    ['src/**', 'src/main.zig', true],
    ['src/**', 'src', false],
    ['src/**', 'srcx/a', false],
    ['**/*.zig', 'build.zig', true],
    ['**/*.zig', 'a/b/c.zig', true],
    ['**/*.zig', 'a/b/c.zig.bak', false],
    ['*.zig', 'a/b.zig', false],
    ['a/?.txt', 'a/x.txt', true],
    ['a/?.txt', 'a/xy.txt', false],
    ['{src,lib}/**', 'lib/x', true],
    ['zig-out/**', 'zig-out/bin/app', true],
    ['a.b', 'axb', false],
  ])('%s matches %s: %s', (g, p, want) => expect(globMatch(g, p)).toBe(want));

  it('env name patterns', () => {
    expect(namePatternMatch('ZIG_*', 'ZIG_GLOBAL_CACHE_DIR')).toBe(true);
    expect(namePatternMatch('ZIG_*', 'PATH')).toBe(false);
    expect(namePatternMatch('HOME', 'HOME')).toBe(true);
    expect(namePatternMatch('HOME', 'HOMEX')).toBe(false);
  });
});

describe('schema', () => {
  it('fills defaults', () => {
    const p = parsePolicy({ version: 1 });
    expect(p).toMatchObject({ mode: 'enforce', default: 'deny', fs: [], clock: { mode: 'real' }, random: { mode: 'real' }, askFallback: 'deny' });
  });
  it('rejects bad policies with paths to the problem', () => {
    expect(() => parsePolicy({ version: 2 })).toThrow(PolicyError);
    try {
      parsePolicy({ version: 1, fs: [{ ops: ['execute'], paths: ['**'], verdict: 'allow' }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      expect((e as PolicyError).issues.join()).toMatch(/fs\.0\.ops\.0/);
    }
    expect(() => parsePolicy({ version: 1, clock: { mode: 'fixed', epochNs: 'soon' } })).toThrow(PolicyError);
  });
  it('rejects malformed JSON as a PolicyError', () => expect(() => parsePolicyText('{')).toThrow(PolicyError));
});

describe('decisions', () => {
  const policy = parsePolicy({
    version: 1,
    default: 'deny',
    fs: [
      { id: 'no-secrets', ops: ['read'], paths: ['**/.env'], verdict: 'deny' },
      { ops: ['read'], paths: ['**'], verdict: 'allow' },
      { ops: ['create', 'write', 'delete'], paths: ['zig-out/**', '.zig-cache/**'], verdict: 'allow' },
      { id: 'confirm', ops: ['delete'], paths: ['src/**'], verdict: 'ask' },
    ],
    env: { allow: ['ZIG_*', 'PATH'] },
  });
  const eng = new PolicyEngine(policy);

  it('first matching rule wins and is named', () => {
    expect(eng.fs('read', 'a/.env')).toEqual({ verdict: 'deny', rule: 'no-secrets' });
    expect(eng.fs('read', 'src/main.zig')).toEqual({ verdict: 'allow', rule: 'fs[1]' });
    expect(eng.fs('write', 'zig-out/bin/x')).toEqual({ verdict: 'allow', rule: 'fs[2]' });
    expect(eng.fs('delete', 'src/main.zig')).toEqual({ verdict: 'ask', rule: 'confirm' });
  });
  it('no match falls to the default', () => expect(eng.fs('write', 'build.zig')).toEqual({ verdict: 'deny', rule: 'default' }));
  it('env visibility names its rule', () => {
    expect(eng.env('ZIG_LIB_DIR')).toEqual({ verdict: 'allow', rule: 'env.allow[0]' });
    expect(eng.env('AWS_SECRET_ACCESS_KEY')).toEqual({ verdict: 'deny', rule: 'env.default' });
  });
});

describe('rules with `where`', () => {
  const eng = new PolicyEngine(parsePolicy({
    version: 1,
    default: 'deny',
    fs: [
      { id: 'deny-host-paths', ops: ['read'], paths: ['**'], where: 'outside', verdict: 'deny' },
      { id: 'inside-only', ops: ['write'], paths: ['**'], where: 'inside', verdict: 'allow' },
      { id: 'read-package', ops: ['read'], paths: ['**'], verdict: 'allow' },
    ],
  }));
  const outside = () => 'outside' as const;
  const inside = () => 'inside' as const;

  it('an outside path is caught by the outside rule, an inside one passes to the next rule', () => {
    expect(eng.fs('read', 'root/.ssh/id_rsa', outside)).toEqual({ verdict: 'deny', rule: 'deny-host-paths' });
    expect(eng.fs('read', 'src/main.zig', inside)).toEqual({ verdict: 'allow', rule: 'read-package' });
    expect(eng.fs('write', 'zig-out/x', inside)).toEqual({ verdict: 'allow', rule: 'inside-only' });
    expect(eng.fs('write', 'etc/x', outside)).toEqual({ verdict: 'deny', rule: 'default' });
  });
  it('without a classifier every path counts as inside', () => {
    expect(eng.fs('read', 'root/.ssh/id_rsa')).toEqual({ verdict: 'allow', rule: 'read-package' });
  });
  it('the classifier is only asked when a matching rule has `where`, and at most once', () => {
    let calls = 0;
    const plain = new PolicyEngine(parsePolicy({ version: 1, fs: [{ ops: ['read'], paths: ['**'], verdict: 'allow' }] }));
    plain.fs('read', 'a', () => (calls++, 'outside'));
    expect(calls).toBe(0);
    eng.fs('read', 'a', () => (calls++, 'inside'));
    expect(calls).toBe(1);
  });
  it('learn mode puts outside paths in a rule of their own, which allows exactly them again', () => {
    const learn = new PolicyEngine(parsePolicy({ version: 1, mode: 'learn' }));
    learn.fs('read', 'build.zig', inside);
    learn.fs('read', 'root/.ssh/id_rsa', outside);
    const learned = learn.learned();
    expect(learned.fs).toEqual([
      { id: 'learned-read', ops: ['read'], paths: ['build.zig'], verdict: 'allow' },
      { id: 'learned-read-outside', ops: ['read'], paths: ['root/.ssh/id_rsa'], where: 'outside', verdict: 'allow' },
    ]);
    const again = new PolicyEngine(learned);
    expect(again.fs('read', 'root/.ssh/id_rsa', outside)).toEqual({ verdict: 'allow', rule: 'learned-read-outside' });
    expect(again.fs('read', 'root/.aws/credentials', outside)).toEqual({ verdict: 'deny', rule: 'default' });
  });
  it('the schema accepts only inside and outside', () => {
    expect(() => parsePolicy({ version: 1, fs: [{ ops: ['read'], paths: ['**'], where: 'host', verdict: 'deny' }] })).toThrow(/fs\.0\.where/);
  });
});

describe('learn mode', () => {
  it('allows everything and reports the minimal policy that allows the same run', () => {
    const eng = new PolicyEngine(parsePolicy({ version: 1, mode: 'learn', clock: { mode: 'fixed' } }));
    expect(eng.fs('read', 'build.zig')).toEqual({ verdict: 'allow', rule: 'learn' });
    eng.fs('read', 'src/main.zig');
    eng.fs('read', 'build.zig');
    eng.fs('create', 'zig-out/bin/app');
    eng.fs('write', 'zig-out/bin/app');
    eng.env('HOME');
    const learned = eng.learned();
    expect(learned.mode).toBe('enforce');
    expect(learned.default).toBe('deny');
    expect(learned.fs).toEqual([
      { id: 'learned-create', ops: ['create'], paths: ['zig-out/bin/app'], verdict: 'allow' },
      { id: 'learned-read', ops: ['read'], paths: ['build.zig', 'src/main.zig'], verdict: 'allow' },
      { id: 'learned-write', ops: ['write'], paths: ['zig-out/bin/app'], verdict: 'allow' },
    ]);
    expect(learned.env.allow).toEqual(['HOME']);
    expect(learned.clock.mode).toBe('fixed');
    // The learned policy allows exactly what was used, and nothing else.
    const enforce = new PolicyEngine(learned);
    expect(enforce.fs('read', 'src/main.zig').verdict).toBe('allow');
    expect(enforce.fs('write', 'zig-out/bin/app').verdict).toBe('allow');
    expect(enforce.fs('read', 'src/other.zig').verdict).toBe('deny');
    expect(enforce.fs('delete', 'zig-out/bin/app').verdict).toBe('deny');
  });
});
