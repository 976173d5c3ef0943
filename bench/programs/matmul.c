/* matmul: dense double-precision matrix multiply, C = A x B (N x N, i-k-j order), repeated n times
 * with the result fed back into B. Stresses: f64 load/store/mul/add, nested counted loops, addressing. */
#include "common.h"

#define N 160

static double a[N * N], b[N * N], c[N * N];

static void fill(double *m, u64 seed) {
  for (int i = 0; i < N * N; i++) {
    /* Uniform in [-1, 1): the top 53 bits as a fraction. */
    m[i] = (double)(splitmix64(&seed) >> 11) * (1.0 / 9007199254740992.0) * 2.0 - 1.0;
  }
}

static NOINLINE void multiply(double *restrict out, const double *restrict x, const double *restrict y) {
  for (int i = 0; i < N * N; i++) out[i] = 0.0;
  for (int i = 0; i < N; i++) {
    double *row = out + i * N;
    for (int k = 0; k < N; k++) {
      double xik = x[i * N + k];
      const double *yrow = y + k * N;
      for (int j = 0; j < N; j++) row[j] += xik * yrow[j];
    }
  }
}

long long run(int n) {
  fill(a, 0xA11CE);
  fill(b, 0xB0B);
  u64 sum = 0;
  for (int r = 0; r < n; r++) {
    multiply(c, a, b);
    /* Feed the product back, scaled so the entries stay near [-1, 1] and never overflow. */
    double scale = 0.0;
    for (int i = 0; i < N * N; i++) scale += c[i] < 0 ? -c[i] : c[i];
    scale = (double)(N * N) / scale;
    for (int i = 0; i < N * N; i++) b[i] = c[i] * scale;
    sum = mix64(sum, f64_bits(c[(r * 7919) % (N * N)]));
    sum = mix64(sum, f64_bits(scale));
  }
  return (long long)sum;
}
