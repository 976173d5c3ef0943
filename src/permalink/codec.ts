// Byte codecs for permalinks: base64url without padding (RFC 4648 §5), raw DEFLATE (RFC 1951, fflate)
// with an output cap, and SHA-256 through WebCrypto (`crypto.subtle`, in browsers and Node ≥ 20).

import { Inflate, deflateSync } from 'fflate';
import { PermalinkError } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function base64urlEncode(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return s;
}

/** Strict: only the base64url alphabet, no padding, no length ≡ 1 (mod 4), zero unused bits. */
export function base64urlDecode(s: string, field: string): Uint8Array {
  if (s.length % 4 === 1) throw new PermalinkError('bad-base64', `${field}: base64url length ${s.length} is impossible (a character is missing or extra)`);
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) throw new PermalinkError('bad-base64', `${field}: character ${JSON.stringify(s[i])} at ${i} is not base64url`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new PermalinkError('bad-base64', `${field}: base64url has non-zero trailing bits (altered or cut)`);
  return out;
}

export function deflate(bytes: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 9 });
}

/** Raw inflate, refusing output past `max` bytes (a small link must not expand into a memory bomb). */
export function inflateCapped(bytes: Uint8Array, max: number, field: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inf = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > max) throw new PermalinkError('too-large', `${field}: expands past ${max} bytes`);
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    inf.push(bytes, true);
  } catch (e) {
    if (e instanceof PermalinkError) throw e;
    throw new PermalinkError('bad-deflate', `${field}: not valid deflate data (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!ended && bytes.length > 0) throw new PermalinkError('bad-deflate', `${field}: deflate data is cut short`);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new PermalinkError('no-crypto', 'WebCrypto (crypto.subtle) is not available here: links cannot be checked');
  // A copy into a fresh ArrayBuffer: digest() does not take views of shared or resizable buffers everywhere.
  const digest = await subtle.digest('SHA-256', bytes.slice().buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
