// DWARF 5 line-table fixture for src/attribution (clang -gdwarf-5).
int twice(int x) {
  return x * 2;
}

static inline int plus_one(int x) {
  return x + 1;
}

int entry(int x) {
  int y = twice(x);
  return plus_one(y);
}
