// The learned policy as a file: `sandbuild-policy.<package>.json`, the project's per-dependency allowlist
// (what `sandbuild audit --policy FILE` reads back). Pure; the panel turns it into a download.

import type { Policy } from '../../../policy/index.ts';

/** The package's name from the loaded file's name: archive extensions off, unsafe characters replaced. */
export function packageSlug(fileName: string | null): string {
  const base = (fileName ?? '').replace(/^.*[\\/]/, '').replace(/\.(tar\.gz|tgz|tar)$/i, '');
  const slug = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return slug || 'package';
}

export function policyFileName(fileName: string | null): string {
  return `sandbuild-policy.${packageSlug(fileName)}.json`;
}

/** The file's text: the policy as pretty JSON with a final newline (parsePolicyText reads it back). */
export function policyFileText(policy: Policy): string {
  return `${JSON.stringify(policy, null, 2)}\n`;
}
