/* mandelbrot: escape-time iteration in single precision over a 256 x 256 grid of a zoomed-in window,
 * up to 256 iterations a point. Stresses: f32 mul/add/compare, int<->float conversion, tight inner
 * loop with a data-dependent exit. */
#include "common.h"

#define SIZE 256
#define MAX_ITER 256

static u8 counts[SIZE * SIZE];

static NOINLINE u32 render(float cx0, float cy0, float span) {
  u32 total = 0;
  float step = span / (float)SIZE;
  for (int py = 0; py < SIZE; py++) {
    float ci = cy0 + (float)py * step;
    for (int px = 0; px < SIZE; px++) {
      float cr = cx0 + (float)px * step;
      float zr = 0.0f, zi = 0.0f, zr2 = 0.0f, zi2 = 0.0f;
      int it = 0;
      while (it < MAX_ITER && zr2 + zi2 <= 4.0f) {
        zi = 2.0f * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        it++;
      }
      counts[py * SIZE + px] = (u8)it;
      total += (u32)it;
    }
  }
  return total;
}

long long run(int n) {
  u64 sum = 0;
  for (int r = 0; r < n; r++) {
    /* Zoom toward the seahorse valley; each frame is a different window. */
    float span = 3.0f / (float)(1 + r);
    float cx = -0.743643f - span * 0.5f, cy = 0.131825f - span * 0.5f;
    sum = mix64(sum, render(cx, cy, span));
    for (int i = 0; i < SIZE * SIZE; i += 97) sum = mix64(sum, counts[i]);
    sum = mix64(sum, f32_bits(span));
  }
  return (long long)sum;
}
