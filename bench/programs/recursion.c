/* recursion: call-heavy and deep recursion. Naive fib (many shallow calls), Ackermann(3, k) (about
 * 2^(k+3) frames deep), a 5,000-deep non-tail chain (its combine step is not associative, so the compiler
 * cannot turn it into a loop) and a tree walk through function pointers (call_indirect). The deepest
 * point is about 5,000 wasm frames, inside a 10,000-frame call-depth limit.
 * Stresses: call/return, frame setup, call_indirect, the engine's call stack. */
#include "common.h"

#define CHAIN_DEPTH 5000
#define ACK_M 3
#define ACK_N 8 /* depth about 2^(8+3) = 2,048 */
#define TREE_NODES 4095

static NOINLINE u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static NOINLINE u32 ack(u32 m, u32 n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

static NOINLINE u64 chain(u32 depth, u64 h) {
  if (depth == 0) return h;
  u64 r = chain(depth - 1, h * 0x100000001B3ull + depth);
  return (r ^ (r >> 29)) * 0xBF58476D1CE4E5B9ull + depth;
}

/* A complete binary tree in an array; each node's operator is a function pointer. */
struct node;
typedef u32 (*eval_fn)(const struct node *);
struct node {
  eval_fn eval;
  u32 value;
  u16 left, right;
};

static struct node tree[TREE_NODES];

static u32 eval_node(u16 i) { return tree[i].eval(&tree[i]); }
static NOINLINE u32 op_leaf(const struct node *nd) { return nd->value; }
static NOINLINE u32 op_add(const struct node *nd) { return eval_node(nd->left) + eval_node(nd->right); }
static NOINLINE u32 op_xor(const struct node *nd) { return eval_node(nd->left) ^ (eval_node(nd->right) * 3); }
static NOINLINE u32 op_sub(const struct node *nd) { return eval_node(nd->left) - eval_node(nd->right) + nd->value; }
static NOINLINE u32 op_rot(const struct node *nd) {
  u32 a = eval_node(nd->left), b = eval_node(nd->right);
  return (a << 7 | a >> 25) + b;
}

static const eval_fn inner_ops[4] = {op_add, op_xor, op_sub, op_rot};

static void build_tree(u64 seed) {
  for (u32 i = 0; i < TREE_NODES; i++) {
    u64 r = splitmix64(&seed);
    tree[i].value = (u32)r;
    if (2 * i + 2 < TREE_NODES) {
      tree[i].eval = inner_ops[(r >> 32) & 3];
      tree[i].left = (u16)(2 * i + 1);
      tree[i].right = (u16)(2 * i + 2);
    } else {
      tree[i].eval = op_leaf;
    }
  }
}

long long run(int n) {
  u64 sum = 0;
  for (int r = 0; r < n; r++) {
    sum = mix64(sum, fib(20 + (u32)(r & 1)));
    sum = mix64(sum, ack(ACK_M, ACK_N));
    sum = mix64(sum, chain(CHAIN_DEPTH, (u64)r));
    build_tree(0x7EE + (u64)r);
    sum = mix64(sum, eval_node(0));
  }
  return (long long)sum;
}
