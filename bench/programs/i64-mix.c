/* i64-mix: 64-bit integer work. A xoshiro256** generator feeds popcount/clz/ctz, rotates, a 64x64->128
 * multiply (the wyhash "mum" mix, lowered to __multi3 from compiler-rt), 64-bit division and remainder,
 * and arithmetic shifts. Stresses: every i64 operator, i64 locals, calls returning through the shadow
 * stack. */
#include "common.h"

typedef unsigned __int128 u128;

static inline u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }

struct xoshiro {
  u64 s[4];
};

/* xoshiro256** 1.0 (Blackman & Vigna, 2018). */
static inline u64 xoshiro_next(struct xoshiro *g) {
  u64 *s = g->s;
  u64 result = rotl(s[1] * 5, 7) * 9;
  u64 t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* wyhash's multiply-and-fold. */
static NOINLINE u64 mum(u64 a, u64 b) {
  u128 r = (u128)a * b;
  return (u64)r ^ (u64)(r >> 64);
}

long long run(int n) {
  struct xoshiro g;
  u64 seed = 0x1234ABCD;
  for (int i = 0; i < 4; i++) g.s[i] = splitmix64(&seed);
  u64 acc = 0, bits = 0;
  u64 shifted = 0;
  for (int i = 0; i < n; i++) {
    u64 a = xoshiro_next(&g), b = xoshiro_next(&g);
    bits += (u64)__builtin_popcountll(a);
    bits += a ? (u64)__builtin_clzll(a) : 64;
    bits += b ? (u64)__builtin_ctzll(b) : 64;
    acc = mum(acc ^ a, b | 1) + rotl(acc, (int)(b & 63) | 1);
    u64 d = (b >> (a & 31)) | 1;
    acc += a / d + (b % d);
    shifted += (u64)((i64)a >> (b & 63)) ^ (acc * 0x9E3779B97F4A7C15ull); /* arithmetic shift */
  }
  return (long long)mix64(mix64(acc, bits), shifted);
}
