// Permalinks (DESIGN.md, "Permalink"; issue #6): everything needed to reproduce a run and its selection,
// in a URL fragment:
//
//   #v=1&pkg=<source>|<sha256>&opt=<json>&policy=<deflate-base64url json>&engine=interp&sel=syscall:12
//
// - pkg: `<source>` is an https URL or a same-origin path relative to the page (`examples/x.tar.gz`, what
//   the sample gallery serves; resolvePackageUrl), which the app downloads and must check with
//   verifyPackage, or `inline:<deflate-base64url>` for small packages; `<sha256>` (64 lowercase hex) is
//   the package bytes' hash in every case, so a tampered inline package is caught too. Percent-encoded.
// - name: the package's display name (the dropped file's name), percent-encoded; optional.
// - opt: the build options as percent-encoded JSON ({"name":"value"}); absent means none.
// - policy: the policy document, JSON, raw-deflated, base64url.
// - engine: `interp` or `native`.   sel: `syscall:<seq>` or `step:<id>`; absent means nothing selected.
//
// Runs are deterministic under a fixed clock and seeded random, so the same fields give the same trace
// and `sel` names the same record. Every field is validated (valibot) and every failure is a
// PermalinkError with a message an auditor can act on.

import * as v from 'valibot';
import { parsePolicy, PolicyError, type Policy } from '../policy/schema.ts';
import { base64urlDecode, base64urlEncode, deflate, inflateCapped, sha256Hex } from './codec.ts';
import { PermalinkError } from './errors.ts';

export const PERMALINK_VERSION = 1;

export interface PermalinkLimits {
  /** Longest fragment accepted or produced, in characters. Default 65,536 (links must survive chat and mail). */
  maxChars?: number;
  /** Largest package (uncompressed bytes) put inline. Default 32 KiB; bigger ones need a URL. */
  maxInlineBytes?: number;
  /** Largest policy JSON after inflating. Default 256 KiB. */
  maxPolicyBytes?: number;
}

const DEFAULTS: Required<PermalinkLimits> = { maxChars: 65_536, maxInlineBytes: 32 << 10, maxPolicyBytes: 256 << 10 };

/** The limits used when none are given (the app says them in its messages). */
export const PERMALINK_LIMITS: Readonly<Required<PermalinkLimits>> = Object.freeze({ ...DEFAULTS });

export type PackageRef = { kind: 'url'; url: string; sha256: string } | { kind: 'inline'; bytes: Uint8Array; sha256: string };

export type Selection = { kind: 'syscall'; seq: number } | { kind: 'step'; id: number };

export type EngineName = 'interp' | 'native';

export interface PermalinkState {
  pkg: PackageRef;
  /** The package's display name, when the link names one. */
  name?: string;
  options: Record<string, string>;
  policy: Policy;
  engine: EngineName;
  sel?: Selection;
}

export interface PermalinkInput {
  /** A published package (its bytes' sha256 must be known), or the bytes themselves to inline. */
  pkg: { url: string; sha256: string } | { bytes: Uint8Array };
  /** A display name for the package (a file name; no slashes, no control characters). */
  name?: string;
  options?: Record<string, string>;
  policy: Policy;
  engine: EngineName;
  sel?: Selection;
}

// ---- schemas ----------------------------------------------------------------------------------------

const Sha256Schema = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits'));
/**
 * A path relative to the page, on its origin: segments of URL-safe characters joined by single slashes.
 * No scheme (no ':'), no leading '/' or '//' (protocol-relative), no '\\' (browsers read it as '/'), no '%'
 * (an escaped '..' is still '..' to the URL parser), no '?' or '#', and no '.' or '..' segment.
 */
export function isRelativePackagePath(p: string): boolean {
  return p.length <= 1024 && /^[A-Za-z0-9_~.-]+(\/[A-Za-z0-9_~.-]+)*$/.test(p) && p.split('/').every((seg) => seg !== '.' && seg !== '..');
}

function isHttpsUrl(u: string): boolean {
  if (!u.startsWith('https://')) return false;
  try {
    return new URL(u).protocol === 'https:';
  } catch {
    return false;
  }
}

const UrlSchema = v.pipe(
  v.string(),
  v.maxLength(4096, 'a package URL is at most 4096 characters'),
  v.check(
    (u) => isHttpsUrl(u) || isRelativePackagePath(u),
    'a package is linked by an https URL or by a path relative to this page (letters, digits, . _ ~ - and single slashes; no "..", no scheme); http:, data:, javascript: and //host URLs are refused',
  ),
);
const NameSchema = v.pipe(
  v.string(),
  v.minLength(1, 'a package name is not empty'),
  v.maxLength(200, 'a package name is at most 200 characters'),
  v.regex(/^[^\u0000-\u001f\u007f/\\]+$/, 'a package name has no slashes or control characters'),
);
/**
 * Same rules as the runner's -Dname=value (src/audit runnerArgs): names non-empty, no '=' or NUL. Checked
 * by hand rather than with v.record, which drops keys such as `constructor` (a legal option name).
 */
const OptionsSchema = v.pipe(
  v.custom<Record<string, string>>((o) => typeof o === 'object' && o !== null && !Array.isArray(o), 'options are a JSON object of strings'),
  v.check((o) => Object.keys(o).length <= 256, 'at most 256 options'),
  v.check((o) => Object.keys(o).every((k) => /^[^=\0]+$/.test(k)), "an option name is non-empty, without '=' or NUL"),
  v.check((o) => Object.values(o).every((x) => typeof x === 'string' && !x.includes('\0')), 'an option value is a string without NUL'),
  v.transform((o) => Object.fromEntries(Object.entries(o)) as Record<string, string>),
);
const EngineSchema = v.picklist(['interp', 'native'], 'engine must be "interp" or "native"');
const IndexSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 31 - 1));
const SelectionSchema = v.variant('kind', [v.object({ kind: v.literal('syscall'), seq: IndexSchema }), v.object({ kind: v.literal('step'), id: IndexSchema })]);

function check<T>(schema: v.GenericSchema<unknown, T>, value: unknown, field: string): T {
  const r = v.safeParse(schema, value);
  if (!r.success) throw new PermalinkError('bad-field', `${field}: ${r.issues.map((i) => `${v.getDotPath(i) ? `${v.getDotPath(i)}: ` : ''}${i.message}`).join('; ')}`);
  return r.output;
}

// ---- encode -----------------------------------------------------------------------------------------

const utf8 = new TextEncoder();

function policyField(policy: Policy): string {
  return base64urlEncode(deflate(utf8.encode(JSON.stringify(policy))));
}

function selField(sel: Selection): string {
  return sel.kind === 'syscall' ? `syscall:${sel.seq}` : `step:${sel.id}`;
}

/** The fragment (with its leading '#') for a run and selection. Throws PermalinkError when it cannot be made. */
export async function encodePermalink(input: PermalinkInput, limits: PermalinkLimits = {}): Promise<string> {
  const lim = { ...DEFAULTS, ...limits };
  let pkg: string;
  if ('bytes' in input.pkg) {
    const n = input.pkg.bytes.length;
    if (n > lim.maxInlineBytes) {
      throw new PermalinkError('too-large', `the package is ${n} bytes; links carry packages of up to ${lim.maxInlineBytes} bytes inline: publish it at an https URL and link that`);
    }
    pkg = `inline:${base64urlEncode(deflate(input.pkg.bytes))}|${await sha256Hex(input.pkg.bytes)}`;
  } else {
    const url = check(UrlSchema, input.pkg.url, 'pkg url');
    pkg = `${encodeURIComponent(url)}|${check(Sha256Schema, input.pkg.sha256, 'pkg sha256')}`;
  }
  const parts = [`v=${PERMALINK_VERSION}`, `pkg=${pkg}`];
  if (input.name !== undefined) parts.push(`name=${encodeURIComponent(check(NameSchema, input.name, 'name'))}`);
  const options = check(OptionsSchema, input.options ?? {}, 'opt');
  if (Object.keys(options).length > 0) parts.push(`opt=${encodeURIComponent(JSON.stringify(options))}`);
  parts.push(`policy=${policyField(input.policy)}`, `engine=${check(EngineSchema, input.engine, 'engine')}`);
  if (input.sel) parts.push(`sel=${selField(check(SelectionSchema, input.sel, 'sel'))}`);
  const fragment = `#${parts.join('&')}`;
  if (fragment.length > lim.maxChars) throw new PermalinkError('too-large', `the link would be ${fragment.length} characters; the limit is ${lim.maxChars}`);
  return fragment;
}

// ---- decode -----------------------------------------------------------------------------------------

const KEYS = new Set(['v', 'pkg', 'name', 'opt', 'policy', 'engine', 'sel']);

function fields(fragment: string): Map<string, string> {
  const body = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const out = new Map<string, string>();
  if (body === '') throw new PermalinkError('malformed', 'the link has no fragment (#v=1&...)');
  for (const part of body.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new PermalinkError('malformed', `"${part.slice(0, 40)}" is not key=value`);
    const key = part.slice(0, eq);
    if (!KEYS.has(key)) throw new PermalinkError('malformed', `unknown field "${key.slice(0, 40)}"`);
    if (out.has(key)) throw new PermalinkError('malformed', `field "${key}" appears twice`);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      throw new PermalinkError('malformed', `field "${key}" has a broken %-escape`);
    }
    out.set(key, value);
  }
  return out;
}

function need(f: Map<string, string>, key: string): string {
  const val = f.get(key);
  if (val === undefined) throw new PermalinkError('malformed', `the link has no "${key}" field`);
  return val;
}

function parseSel(s: string): Selection {
  const m = /^(syscall|step):(0|[1-9]\d{0,9})$/.exec(s);
  if (!m) throw new PermalinkError('bad-field', `sel: "${s.slice(0, 40)}" is not syscall:<n> or step:<n>`);
  const n = Number(m[2]);
  return check(SelectionSchema, m[1] === 'syscall' ? { kind: 'syscall', seq: n } : { kind: 'step', id: n }, 'sel');
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PermalinkError('bad-field', `${field}: not valid JSON`);
  }
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/**
 * Read a fragment (with or without '#'). An inline package is inflated and its hash checked here; for a
 * URL package the app downloads the bytes and calls verifyPackage before using them.
 */
export async function decodePermalink(fragment: string, limits: PermalinkLimits = {}): Promise<PermalinkState> {
  const lim = { ...DEFAULTS, ...limits };
  if (fragment.length > lim.maxChars) throw new PermalinkError('too-large', `the link is ${fragment.length} characters; the limit is ${lim.maxChars}`);
  const f = fields(fragment);
  const ver = need(f, 'v');
  if (ver !== String(PERMALINK_VERSION)) {
    throw new PermalinkError('unknown-version', `link version "${ver.slice(0, 20)}" is not supported (this build reads v=${PERMALINK_VERSION}); open it with the sandbuild version that made it`);
  }

  const pkgField = need(f, 'pkg');
  const bar = pkgField.lastIndexOf('|');
  if (bar < 0) throw new PermalinkError('malformed', 'pkg: expected <url or inline:data>|<sha256>');
  const source = pkgField.slice(0, bar);
  const sha256 = check(Sha256Schema, pkgField.slice(bar + 1), 'pkg sha256');
  let pkg: PackageRef;
  if (source.startsWith('inline:')) {
    const packed = base64urlDecode(source.slice('inline:'.length), 'pkg inline data');
    const bytes = inflateCapped(packed, lim.maxInlineBytes, 'pkg inline data');
    pkg = { kind: 'inline', bytes, sha256 };
    await verifyPackage(bytes, sha256);
  } else {
    pkg = { kind: 'url', url: check(UrlSchema, source, 'pkg url'), sha256 };
  }

  const nameText = f.get('name');
  const optText = f.get('opt');
  const options = optText === undefined ? {} : check(OptionsSchema, parseJson(optText, 'opt'), 'opt');

  const policyBytes = inflateCapped(base64urlDecode(need(f, 'policy'), 'policy'), lim.maxPolicyBytes, 'policy');
  let policyText: string;
  try {
    policyText = utf8Fatal.decode(policyBytes);
  } catch {
    throw new PermalinkError('bad-field', 'policy: not UTF-8 text');
  }
  let policy: Policy;
  try {
    policy = parsePolicy(parseJson(policyText, 'policy'));
  } catch (e) {
    if (e instanceof PolicyError) throw new PermalinkError('bad-field', `policy: ${e.issues.join('; ')}`);
    throw e;
  }

  const engine = check(EngineSchema, need(f, 'engine'), 'engine');
  const selText = f.get('sel');
  const state: PermalinkState = { pkg, options, policy, engine };
  if (nameText !== undefined) state.name = check(NameSchema, nameText, 'name');
  if (selText !== undefined) state.sel = parseSel(selText);
  return state;
}

/** Check downloaded (or inline) package bytes against the link's hash. Throws PermalinkError('hash-mismatch'). */
export async function verifyPackage(bytes: Uint8Array, sha256: string): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got !== sha256) {
    throw new PermalinkError('hash-mismatch', `the package's SHA-256 is ${got}, but the link says ${sha256}: the link was altered or the file at the URL changed`);
  }
}

/**
 * Where to fetch a URL package from: an https URL as it is, a relative path resolved against the page
 * (`page`, e.g. location.href) and required to stay on its origin. Throws PermalinkError('bad-field').
 */
export function resolvePackageUrl(url: string, page: string): string {
  check(UrlSchema, url, 'pkg url');
  if (isHttpsUrl(url)) return new URL(url).href;
  const base = new URL(page);
  const resolved = new URL(url, base);
  if (resolved.origin !== base.origin) throw new PermalinkError('bad-field', `pkg url: ${url.slice(0, 80)} leaves this page's origin`);
  return resolved.href;
}

/** The same fragment with another selection (a cheap update when the user selects a record). */
export function withSelection(fragment: string, sel: Selection | undefined): string {
  const body = (fragment.startsWith('#') ? fragment.slice(1) : fragment).split('&').filter((p) => !p.startsWith('sel='));
  if (sel) body.push(`sel=${selField(check(SelectionSchema, sel, 'sel'))}`);
  return `#${body.join('&')}`;
}
