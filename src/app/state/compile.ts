// The dev server's compile endpoint (src/app/server/compile-plugin.ts), seen from the app. Only under
// `npm start`: a static build has no server to compile with and says how to produce the wasm instead.

export const COMPILE_ENDPOINT = '__sandbuild/compile';

export type CompileResult = { ok: true; wasm: Uint8Array; ms: number } | { ok: false; message: string; output: string };

/** True when the app is served by the Vite dev server (which has the endpoint). */
export const canCompile = (): boolean => import.meta.env.DEV;

export async function compileOnDevServer(archive: Uint8Array): Promise<CompileResult> {
  let res: Response;
  try {
    res = await fetch(COMPILE_ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: archive.slice() });
  } catch (e) {
    return { ok: false, message: 'the dev server did not answer', output: e instanceof Error ? e.message : String(e) };
  }
  if (res.ok) return { ok: true, wasm: new Uint8Array(await res.arrayBuffer()), ms: Number(res.headers.get('x-compile-ms') ?? 0) };
  const body = (await res.json().catch(() => null)) as { message?: string; output?: string } | null;
  return { ok: false, message: body?.message ?? `compile failed (HTTP ${res.status})`, output: body?.output ?? '' };
}
