/* Shared helpers for the benchmark programs. The programs are freestanding (no libc, no WASI imports):
 * every byte of state lives in static arrays, and each export `run(n)` rebuilds its inputs from a fixed
 * seed, so repeated calls and fresh instances return the same checksum. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int i32;
typedef signed long long i64;

#define NOINLINE __attribute__((noinline))

/* SplitMix64: the seed expander from Steele, Lea & Flood (2014). Good enough to fill inputs. */
static inline u64 splitmix64(u64 *state) {
  u64 z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Folds a value into a running checksum; order-sensitive so a swapped result changes the sum. */
static inline u64 mix64(u64 h, u64 v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 33);
}

/* The raw bits of a double, so float results are checked exactly (wasm float ops are deterministic
 * apart from NaN payloads, and these programs produce no NaN). */
static inline u64 f64_bits(double d) {
  u64 b;
  __builtin_memcpy(&b, &d, sizeof b);
  return b;
}

static inline u32 f32_bits(float f) {
  u32 b;
  __builtin_memcpy(&b, &f, sizeof b);
  return b;
}

#endif
