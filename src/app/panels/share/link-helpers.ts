// Small pure decisions of the share menu (ShareState uses them): which address fragments are links,
// which package sources a link can point to, and a package's name from its URL.

import { isRelativePackagePath } from '../../../permalink/index.ts';

/** A fragment that looks like one of our links (`#v=…`, or a `pkg=` field); any other hash is left alone. */
export function isLinkFragment(hash: string): boolean {
  return /^#(v|pkg)=/.test(hash) || /^#[^]*&pkg=/.test(hash);
}

/** A URL a link can point to for this package: the gallery's page-relative path or an https URL. */
export function linkableSource(source: string | null): source is string {
  return source !== null && (isRelativePackagePath(source) || source.startsWith('https://'));
}

/** The package's name from its URL: the last path segment, without query or fragment, %-decoded. */
export function nameFromUrl(url: string): string {
  const path = url.replace(/[?#].*$/, '');
  const seg = path.slice(path.lastIndexOf('/') + 1);
  let name = seg;
  try {
    name = decodeURIComponent(seg);
  } catch {
    // A broken escape: keep the raw segment.
  }
  return name === '' ? 'linked package' : name;
}
