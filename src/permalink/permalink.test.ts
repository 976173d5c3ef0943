// Permalinks: round trips (fast-check), and every way a link can be bad giving a PermalinkError of the
// right kind: unknown version, malformed, bad base64, bad deflate, too large, hash mismatch, bad fields.

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditPolicy } from '../audit/default-policy.ts';
import { parsePolicy, type Policy } from '../policy/schema.ts';
import { base64urlDecode, base64urlEncode, deflate, sha256Hex } from './codec.ts';
import { PermalinkError, type PermalinkErrorKind } from './errors.ts';
import { decodePermalink, encodePermalink, isRelativePackagePath, resolvePackageUrl, verifyPackage, withSelection, type PermalinkInput } from './permalink.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const nodeSha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function kindOf(p: Promise<unknown>): Promise<PermalinkErrorKind | 'ok' | string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof PermalinkError ? e.kind : `not a PermalinkError: ${String(e)}`;
  }
}

const optionsArb = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !k.includes('=') && !k.includes('\0') && k !== '__proto__' /* an own __proto__ key cannot be built portably by the generator */), fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0')), { maxKeys: 5 });
const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    default: fc.constantFrom('allow', 'deny', 'ask'),
    fs: fc.array(fc.record({ ops: fc.subarray(['read', 'write', 'create', 'delete'], { minLength: 1 }), paths: fc.array(fc.string({ minLength: 1, maxLength: 15 }), { minLength: 1, maxLength: 3 }), verdict: fc.constantFrom('allow', 'deny', 'ask') }), { maxLength: 4 }),
    seed: fc.integer(),
  })
  .map((r) => parsePolicy({ version: 1, default: r.default, fs: r.fs, clock: { mode: 'fixed' }, random: { mode: 'seeded', seed: r.seed } }));
const selArb = fc.option(fc.oneof(fc.record({ kind: fc.constant('syscall' as const), seq: fc.nat(100_000) }), fc.record({ kind: fc.constant('step' as const), id: fc.nat(5000) })), { nil: undefined });
const pkgArb = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((b) => ({ bytes: b })),
  fc.record({ url: fc.webUrl({ validSchemes: ['https'], withQueryParameters: true, withFragments: false }), sha256: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')) }),
);
const segArb = fc.stringMatching(/^[A-Za-z0-9_~.-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
const relPathArb = fc.array(segArb, { minLength: 1, maxLength: 4 }).map((segs) => segs.join('/'));
const shaArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''));
const nameArb = fc.option(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[\u0000-\u001f\u007f/\\]/.test(s)), { nil: undefined });
const inputArb: fc.Arbitrary<PermalinkInput> = fc.record(
  { pkg: fc.oneof(pkgArb, fc.record({ url: relPathArb, sha256: shaArb })), name: nameArb, options: optionsArb, policy: policyArb, engine: fc.constantFrom('interp' as const, 'native' as const), sel: selArb },
  { requiredKeys: ['pkg', 'options', 'policy', 'engine', 'sel'] },
);

describe('round trip', () => {
  it('decode(encode(x)) gives x back (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, async (input) => {
        const link = await encodePermalink(input);
        const back = await decodePermalink(link);
        expect(back.options).toEqual(input.options);
        expect(back.policy).toEqual(input.policy);
        expect(back.engine).toBe(input.engine);
        expect(back.sel).toEqual(input.sel);
        expect(back.name).toBe(input.name);
        if ('bytes' in input.pkg) {
          expect(back.pkg.kind).toBe('inline');
          expect(back.pkg.kind === 'inline' && back.pkg.bytes).toEqual(input.pkg.bytes);
          expect(back.pkg.sha256).toBe(nodeSha(input.pkg.bytes));
        } else {
          expect(back.pkg).toEqual({ kind: 'url', url: input.pkg.url, sha256: input.pkg.sha256 });
        }
        // Encoding what was decoded gives the same link (one canonical form).
        const again = await encodePermalink({ ...back, pkg: back.pkg.kind === 'inline' ? { bytes: back.pkg.bytes } : back.pkg });
        expect(again).toBe(link);
      }),
      { numRuns: 150 },
    );
  });

  it('base64url round-trips any bytes and refuses what is not base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(base64urlDecode(base64urlEncode(b), 't')).toEqual(b);
      }),
    );
    expect(base64urlEncode(bytes('hi?'))).toBe('aGk_');
    expect(() => base64urlDecode('aGk/', 't')).toThrow(PermalinkError);
    expect(() => base64urlDecode('aGk_a', 't')).toThrow(/impossible/);
    expect(() => base64urlDecode('aGl', 't')).toThrow(/trailing bits/); // 'aGk' is canonical for "hi"
  });

  it('sha256Hex matches node:crypto', async () => {
    const b = bytes('sandbuild');
    expect(await sha256Hex(b)).toBe(nodeSha(b));
  });

  it('the fragment has the documented shape', async () => {
    const link = await encodePermalink({ pkg: { url: 'https://example.org/p.tgz', sha256: 'a'.repeat(64) }, options: { 'fetch-assets': 'true' }, policy: auditPolicy(), engine: 'interp', sel: { kind: 'syscall', seq: 12 } });
    expect(link).toMatch(/^#v=1&pkg=https%3A%2F%2Fexample\.org%2Fp\.tgz\|a{64}&opt=%7B%22fetch-assets%22%3A%22true%22%7D&policy=[A-Za-z0-9_-]+&engine=interp&sel=syscall:12$/);
    expect(withSelection(link, { kind: 'step', id: 3 }).endsWith('&engine=interp&sel=step:3')).toBe(true);
    expect(withSelection(link, undefined).includes('sel=')).toBe(false);
  });
});

describe('bad links give a clear, typed error', () => {
  const policy = auditPolicy();
  const pkgBytes = bytes('const std = @import("std");\n');
  const good = () => encodePermalink({ pkg: { bytes: pkgBytes }, policy, engine: 'interp' });

  it('unknown version', async () => {
    const link = (await good()).replace('v=1', 'v=2');
    await expect(decodePermalink(link)).rejects.toThrow(/version "2" is not supported/);
    expect(await kindOf(decodePermalink(link))).toBe('unknown-version');
  });

  it('malformed: no fragment, missing, unknown and duplicate fields, bad escapes', async () => {
    const link = await good();
    expect(await kindOf(decodePermalink(''))).toBe('malformed');
    expect(await kindOf(decodePermalink(link.replace(/&engine=[a-z]+/, '')))).toBe('malformed');
    expect(await kindOf(decodePermalink(`${link}&evil=1`))).toBe('malformed');
    expect(await kindOf(decodePermalink(`${link}&engine=native`))).toBe('malformed');
    expect(await kindOf(decodePermalink(`${link}&sel=%E0%A4%A`))).toBe('malformed');
  });

  it('tampered inline package: hash mismatch, bad base64, bad deflate', async () => {
    const link = await good();
    const other = base64urlEncode(deflate(bytes('const evil = 1;\n')));
    const swapped = link.replace(/inline:[A-Za-z0-9_-]+\|/, `inline:${other}|`);
    await expect(decodePermalink(swapped)).rejects.toThrow(/SHA-256 is [0-9a-f]{64}, but the link says/);
    expect(await kindOf(decodePermalink(swapped))).toBe('hash-mismatch');
    expect(await kindOf(decodePermalink(link.replace('inline:', 'inline:*')))).toBe('bad-base64');
    const garbage = base64urlEncode(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    expect(await kindOf(decodePermalink(link.replace(/inline:[A-Za-z0-9_-]+\|/, `inline:${garbage}|`)))).toBe('bad-deflate');
  });

  it('too large: a big package to inline, a deflate bomb, an overlong link', async () => {
    await expect(encodePermalink({ pkg: { bytes: new Uint8Array(40_000) }, policy, engine: 'interp' })).rejects.toThrow(/publish it at an https URL/);
    // 1 MiB of zeros deflates to ~1 KiB: the decoder must stop at the inline cap, not allocate it all.
    const zeros = new Uint8Array(1 << 20);
    const bomb = `#v=1&pkg=inline:${base64urlEncode(deflate(zeros))}|${nodeSha(zeros)}&policy=${(await good()).split('policy=')[1]}`;
    expect(await kindOf(decodePermalink(bomb))).toBe('too-large');
    expect(await kindOf(decodePermalink(`${await good()}&opt=${'x'.repeat(70_000)}`))).toBe('too-large');
  });

  it('bad fields: URL scheme, hash format, options, policy, engine, selection', async () => {
    const sha = 'b'.repeat(64);
    await expect(encodePermalink({ pkg: { url: 'http://example.org/p.tgz', sha256: sha }, policy, engine: 'interp' })).rejects.toThrow(/http:, data:, javascript: and \/\/host URLs are refused/);
    const link = await encodePermalink({ pkg: { url: 'https://example.org/p.tgz', sha256: sha }, policy, engine: 'interp' });
    expect(await kindOf(decodePermalink(link.replace(sha, 'B'.repeat(64))))).toBe('bad-field');
    expect(await kindOf(decodePermalink(link.replace('https%3A', 'javascript%3A')))).toBe('bad-field');
    expect(await kindOf(decodePermalink(`${link}&opt=${encodeURIComponent('{"a=b":"c"}')}`))).toBe('bad-field');
    expect(await kindOf(decodePermalink(`${link}&opt=${encodeURIComponent('[1')}`))).toBe('bad-field');
    const badPolicy = base64urlEncode(deflate(bytes(JSON.stringify({ version: 1, default: 'maybe' }))));
    await expect(decodePermalink(link.replace(/policy=[A-Za-z0-9_-]+/, `policy=${badPolicy}`))).rejects.toThrow(/policy: default/);
    expect(await kindOf(decodePermalink(link.replace('engine=interp', 'engine=v8')))).toBe('bad-field');
    expect(await kindOf(decodePermalink(`${link}&sel=syscall:-1`))).toBe('bad-field');
    expect(await kindOf(decodePermalink(`${link}&sel=step:01`))).toBe('bad-field');
  });

  it('package URLs: https or a same-origin relative path; hostile URLs are refused both ways', async () => {
    const sha = 'c'.repeat(64);
    const ok = ['examples/c-exfiltrate.tar.gz', 'p.tgz', 'a/b/c.tar', '.well-known/p.tgz', 'https://example.org/p.tgz'];
    const bad = [
      'http://example.org/p.tgz', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:application/gzip;base64,AAAA', '//evil.example/p.tgz',
      '\\\\evil.example/p.tgz', '/\\evil.example/p.tgz', '/examples/p.tgz', '../p.tgz', 'a/../../p.tgz', 'a/./p.tgz', 'a//p.tgz', 'a/', '%2e%2e/p.tgz',
      'p.tgz?x=1', 'p.tgz#x', ' p.tgz', 'p\tq.tgz', 'file:///etc/passwd', 'blob:https://x/1', '', 'é.tgz',
    ];
    for (const u of ok) {
      const link = await encodePermalink({ pkg: { url: u, sha256: sha }, policy, engine: 'interp' });
      expect((await decodePermalink(link)).pkg).toEqual({ kind: 'url', url: u, sha256: sha });
    }
    const valid = await encodePermalink({ pkg: { url: 'p.tgz', sha256: sha }, policy, engine: 'interp' });
    for (const u of bad) {
      expect(await kindOf(encodePermalink({ pkg: { url: u, sha256: sha }, policy, engine: 'interp' })), u).toBe('bad-field');
      // The same URL put into a link by hand.
      expect(await kindOf(decodePermalink(valid.replace('pkg=p.tgz|', `pkg=${encodeURIComponent(u)}|`))), u).toBe('bad-field');
    }
    expect(isRelativePackagePath('examples/x.tar.gz')).toBe(true);
    expect(isRelativePackagePath('x'.repeat(1025))).toBe(false);
  });

  it('resolvePackageUrl keeps relative paths on the page origin and under its folder', () => {
    const page = 'http://127.0.0.1:4173/play/index.html#v=1&pkg=x';
    expect(resolvePackageUrl('examples/c-exfiltrate.tar.gz', page)).toBe('http://127.0.0.1:4173/play/examples/c-exfiltrate.tar.gz');
    expect(resolvePackageUrl('https://example.org/p.tgz', page)).toBe('https://example.org/p.tgz');
    expect(() => resolvePackageUrl('//evil.example/p.tgz', page)).toThrow(PermalinkError);
    expect(() => resolvePackageUrl('../p.tgz', page)).toThrow(/pkg url/);
    // Every accepted relative path resolves on the page's origin, below its folder (fast-check).
    fc.assert(
      fc.property(relPathArb, (p) => {
        expect(resolvePackageUrl(p, page).startsWith('http://127.0.0.1:4173/play/')).toBe(true);
      }),
    );
  });

  it('name: optional, %-encoded, no slashes or control characters', async () => {
    const link = await encodePermalink({ pkg: { bytes: pkgBytes }, name: 'my pkg & co.tar.gz', policy, engine: 'interp' });
    expect(link).toContain('&name=my%20pkg%20%26%20co.tar.gz&');
    expect((await decodePermalink(link)).name).toBe('my pkg & co.tar.gz');
    expect(await kindOf(encodePermalink({ pkg: { bytes: pkgBytes }, name: '../x', policy, engine: 'interp' }))).toBe('bad-field');
    expect(await kindOf(decodePermalink(link.replace('name=my%20pkg', 'name=my%0Apkg')))).toBe('bad-field');
    expect(await kindOf(decodePermalink(link.replace(/name=[^&]+/, 'name=')))).toBe('bad-field');
  });

  it('verifyPackage accepts the right bytes and names both hashes otherwise', async () => {
    await expect(verifyPackage(pkgBytes, nodeSha(pkgBytes))).resolves.toBeUndefined();
    await expect(verifyPackage(bytes('x'), nodeSha(pkgBytes))).rejects.toThrow(new RegExp(nodeSha(pkgBytes)));
  });

  it('any one-character change gives a PermalinkError or a valid link, never another error (fast-check)', async () => {
    const link = await encodePermalink({ pkg: { bytes: pkgBytes }, options: { a: 'b' }, policy, engine: 'interp', sel: { kind: 'syscall', seq: 3 } });
    await fc.assert(
      fc.asyncProperty(fc.nat(link.length - 1), fc.integer({ min: 0x20, max: 0x7e }), async (at, code) => {
        const mutated = link.slice(0, at) + String.fromCharCode(code) + link.slice(at + 1);
        const k = await kindOf(decodePermalink(mutated));
        expect(k.startsWith('not a PermalinkError'), k).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
