// random_get sources: the platform CSPRNG, or a seeded generator (xoshiro128**, seeded by splitmix32) for
// deterministic runs. Seeded output is reproducible, not secret; the policy makes that choice explicit.

export interface RandomSource {
  fill(dst: Uint8Array): void;
  /** The generator state a snapshot keeps (deterministic sources only), and putting it back. */
  save?(): Uint32Array;
  load?(state: Uint32Array): void;
}

/** crypto.getRandomValues limits one call to 65536 bytes. */
const CRYPTO_CHUNK = 65536;

export class RealRandom implements RandomSource {
  fill(dst: Uint8Array): void {
    for (let i = 0; i < dst.length; i += CRYPTO_CHUNK) crypto.getRandomValues(dst.subarray(i, Math.min(dst.length, i + CRYPTO_CHUNK)));
  }
}

export class SeededRandom implements RandomSource {
  private s = new Uint32Array(4);

  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  save(): Uint32Array {
    return this.s.slice();
  }

  load(state: Uint32Array): void {
    this.s.set(state);
  }

  private next(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  fill(dst: Uint8Array): void {
    for (let i = 0; i < dst.length; i += 4) {
      let w = this.next();
      for (let j = 0; j < 4 && i + j < dst.length; j++) {
        dst[i + j] = w & 0xff;
        w >>>= 8;
      }
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
