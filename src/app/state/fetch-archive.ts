// Download a package archive from a page-relative or absolute URL (the sample gallery, the diff's example pair).
import type { Result } from '../../worker/types.ts';

export async function fetchArchive(url: string): Promise<Result<Uint8Array>> {
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return { ok: true, value: new Uint8Array(await res.arrayBuffer()) };
  } catch (e) {
    return { ok: false, error: { phase: 'archive', kind: 'fetch', message: `could not fetch ${url}: ${e instanceof Error ? e.message : String(e)}` } };
  }
}
