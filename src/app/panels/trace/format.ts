// One trace record as one line of text: `path_open(3</>, "../.env", oflags=creat|trunc) → perm`. Plain
// strings only (rendered through text bindings, never as HTML). Long rights masks are left out of the
// line; the row's tooltip carries the full record.

import type { TraceRecord, TraceValue } from '../../../wasi-vfs/index.ts';
import { denyingRule } from '../../../worker/denied.ts';

const SKIP = new Set(['rights', 'rights_inheriting', 'fs_rights_base', 'fs_rights_inheriting']);
export const MAX_ARG = 80;

function clip(s: string, max = MAX_ARG): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

export function formatValue(v: TraceValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(clip(v));
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '0' : v.map((x) => (typeof x === 'string' ? x : formatValue(x))).join('|');
  // An fd with its path: 3</dir>.
  if (typeof v.fd === 'number') return typeof v.path === 'string' ? `${v.fd}<${clip(v.path, 40)}>` : String(v.fd);
  return clip(JSON.stringify(v));
}

export function formatCall(r: TraceRecord): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(r.args)) {
    if (SKIP.has(k)) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    const text = formatValue(v);
    parts.push(k === 'fd' || k === 'path' ? text : `${k}=${text}`);
  }
  return `${r.fn}(${parts.join(', ')})`;
}

export function formatResult(r: TraceRecord): string {
  const extra: string[] = [];
  if (r.bytes !== undefined) extra.push(`${r.bytes} B`);
  if (r.out) for (const [k, v] of Object.entries(r.out)) extra.push(`${k}=${formatValue(v)}`);
  return extra.length > 0 ? `${r.errno} (${extra.join(', ')})` : r.errno;
}

/** The policy's say on a record: `deny · rule`, `allow · rule`, or '' when the policy was not asked. */
export function formatDecision(r: TraceRecord): { verdict: 'deny' | 'allow' | 'ask' | ''; text: string } {
  const rule = denyingRule(r);
  if (rule !== undefined) return { verdict: 'deny', text: rule };
  const d = r.decisions?.[0];
  if (!d) return { verdict: '', text: '' };
  return { verdict: d.verdict, text: d.rule };
}
