/* crc-hash: byte-at-a-time CRC-32 (table driven), FNV-1a 64 and an xxHash64-style lane hash over a
 * 64 KiB buffer. Stresses: u8/u32/u64 loads, table lookups, shifts, i64 multiply and rotate. */
#include "common.h"

#define BUF_SIZE (64 * 1024)

static u32 crc_table[256];
static u8 buf[BUF_SIZE];

static void crc_init(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

/* CRC-32/ISO-HDLC (the zlib one): reflected polynomial 0xEDB88320, init and final xor ~0. */
static NOINLINE u32 crc32(const u8 *p, u32 len, u32 crc) {
  crc = ~crc;
  for (u32 i = 0; i < len; i++) crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

static NOINLINE u64 fnv1a64(const u8 *p, u32 len) {
  u64 h = 0xCBF29CE484222325ull;
  for (u32 i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x100000001B3ull;
  }
  return h;
}

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static inline u64 rotl64(u64 x, int r) { return (x << r) | (x >> (64 - r)); }

static inline u64 read64(const u8 *p) {
  u64 v;
  __builtin_memcpy(&v, p, 8);
  return v;
}

static inline u64 round64(u64 acc, u64 lane) {
  acc += lane * P2;
  acc = rotl64(acc, 31);
  return acc * P1;
}

/* The xxHash64 structure (four lanes, merge, avalanche); len must be a multiple of 32 here. */
static NOINLINE u64 xxh64ish(const u8 *p, u32 len, u64 seed) {
  u64 v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
  for (u32 i = 0; i < len; i += 32) {
    v1 = round64(v1, read64(p + i));
    v2 = round64(v2, read64(p + i + 8));
    v3 = round64(v3, read64(p + i + 16));
    v4 = round64(v4, read64(p + i + 24));
  }
  u64 h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
  h = (h ^ round64(0, v1)) * P1 + P4;
  h = (h ^ round64(0, v2)) * P1 + P4;
  h = (h ^ round64(0, v3)) * P1 + P4;
  h = (h ^ round64(0, v4)) * P1 + P4;
  h += len;
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  return h ^ (h >> 32);
}

long long run(int n) {
  u64 seed = 0x5EED0001;
  for (u32 i = 0; i < BUF_SIZE; i += 8) {
    u64 v = splitmix64(&seed);
    __builtin_memcpy(buf + i, &v, 8);
  }
  crc_init();
  u64 sum = 0;
  u32 crc = 0;
  for (int r = 0; r < n; r++) {
    /* Perturb the input each round so no round can be folded into the previous one. */
    buf[(u32)r * 2654435761u % BUF_SIZE] ^= (u8)(r + 1);
    crc = crc32(buf, BUF_SIZE, crc);
    sum = mix64(sum, crc);
    sum = mix64(sum, fnv1a64(buf, BUF_SIZE));
    sum = mix64(sum, xxh64ish(buf, BUF_SIZE, (u64)r));
  }
  return (long long)sum;
}
