// A fast synchronous 64-bit string hash (cyrb53-style: two 32-bit FNV/murmur lanes), for comparing trace
// prefixes and memory at a pause. Not cryptographic: it detects divergence, it does not resist forgery
// (permalinks use SHA-256 through WebCrypto for that).

export function fingerprint(s: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** Fingerprint of bytes (each byte as one char code, so equal bytes give equal strings). */
export function fingerprintBytes(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return fingerprint(s);
}

/** The empty trace's hash: a trace hash starts here and takes each kept record with `extendTraceHash`. */
export const EMPTY_TRACE_HASH = fingerprint('');

/** The rolling trace hash after one more kept record (fp = fingerprint of the record's JSON). */
export function extendTraceHash(hash: string, recordFingerprint: string): string {
  return fingerprint(hash + recordFingerprint);
}
