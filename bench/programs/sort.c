/* sort: quicksort (median of three, insertion sort below 16) and top-down mergesort over PRNG-filled
 * i32 arrays. Stresses: data-dependent branches, i32 loads/stores, recursion, memory bandwidth. */
#include "common.h"

#define LEN 100000

static i32 data[LEN];
static i32 tmp[LEN];

static void fill(u64 seed) {
  for (int i = 0; i < LEN; i++) data[i] = (i32)(u32)splitmix64(&seed);
}

static void insertion_sort(i32 *a, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    i32 v = a[i];
    int j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static inline void swap(i32 *a, int i, int j) {
  i32 t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/* Hoare partition around the median of three; recurse on the smaller half, loop on the larger, so the
 * recursion depth stays O(log n). */
static NOINLINE void quicksort(i32 *a, int lo, int hi) {
  while (hi - lo > 16) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    i32 pivot = a[mid];
    int i = lo - 1, j = hi + 1;
    for (;;) {
      do i++; while (a[i] < pivot);
      do j--; while (a[j] > pivot);
      if (i >= j) break;
      swap(a, i, j);
    }
    if (j - lo < hi - j) {
      quicksort(a, lo, j);
      lo = j + 1;
    } else {
      quicksort(a, j + 1, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

static NOINLINE void mergesort(i32 *a, i32 *t, int lo, int hi) {
  if (hi - lo < 1) return;
  int mid = lo + (hi - lo) / 2;
  mergesort(a, t, lo, mid);
  mergesort(a, t, mid + 1, hi);
  int i = lo, j = mid + 1, k = lo;
  while (i <= mid && j <= hi) t[k++] = a[i] <= a[j] ? a[i++] : a[j++];
  while (i <= mid) t[k++] = a[i++];
  while (j <= hi) t[k++] = a[j++];
  for (k = lo; k <= hi; k++) a[k] = t[k];
}

/* Checksum of a sorted array; -1 if it is not sorted (so a wrong sort can never match). */
static u64 digest(void) {
  u64 h = 0;
  for (int i = 0; i < LEN; i++) {
    if (i > 0 && data[i - 1] > data[i]) return ~0ull;
    if ((i & 255) == 0) h = mix64(h, (u32)data[i]);
  }
  return h;
}

long long run(int n) {
  u64 sum = 0;
  for (int r = 0; r < n; r++) {
    fill(0x50A7 + (u64)r);
    quicksort(data, 0, LEN - 1);
    sum = mix64(sum, digest());
    fill(0x3E46E + (u64)r);
    mergesort(data, tmp, 0, LEN - 1);
    sum = mix64(sum, digest());
  }
  return (long long)sum;
}
