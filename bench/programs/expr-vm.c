/* expr-vm: generates random C-like integer expressions as text, tokenizes and parses them (precedence
 * climbing, with ?: compiled to jumps) into stack bytecode, then runs the bytecode on a switch-dispatched
 * VM for 64 variable bindings each. Stresses: byte loads, unpredictable branches, br_table dispatch,
 * short calls, recursion in the generator and the parser. */
#include "common.h"

#define SRC_MAX 16384
#define CODE_MAX 16384
#define EVALS_PER_EXPR 64

/* ---- Generator ------------------------------------------------------------------------------- */

static char src[SRC_MAX];
static int src_len;
static u64 gen_seed;

static const char *const var_names[4] = {"x", "y", "alpha", "beta"};
static const char *const bin_ops[18] = {"+", "-", "*", "/", "%", "&", "|", "^", "<<",
                                        ">>", "<", "<=", ">", ">=", "==", "!=", "+", "*"};

static u32 rnd(u32 bound) { return (u32)(splitmix64(&gen_seed) >> 33) % bound; }

static void put_char(char c) {
  if (src_len < SRC_MAX - 1) src[src_len++] = c;
}

static void put_str(const char *s) {
  while (*s) put_char(*s++);
}

static void put_space(void) {
  if (rnd(3) == 0) put_char(' ');
}

static void put_num(u32 v) {
  char digits[12];
  int k = 0;
  do {
    digits[k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (k) put_char(digits[--k]);
}

static void gen(int depth) {
  put_space();
  if (depth == 0 || src_len > SRC_MAX / 2 || rnd(5) == 0) {
    if (rnd(2)) put_num(rnd(rnd(2) ? 10 : 100000));
    else put_str(var_names[rnd(4)]);
  } else {
    u32 shape = rnd(12);
    if (shape == 0) {
      put_char(rnd(2) ? '-' : '~');
      gen(depth - 1);
    } else if (shape == 1) {
      put_char('(');
      gen(depth - 1);
      put_str(" ? ");
      gen(depth - 1);
      put_str(" : ");
      gen(depth - 1);
      put_char(')');
    } else {
      int paren = rnd(2);
      if (paren) put_char('(');
      gen(depth - 1);
      put_space();
      put_str(bin_ops[rnd(18)]);
      gen(depth - 1);
      if (paren) put_char(')');
    }
  }
  put_space();
}

/* ---- Tokenizer --------------------------------------------------------------------------------- */

enum { T_END, T_NUM, T_VAR, T_OP, T_LPAREN, T_RPAREN, T_QUESTION, T_COLON, T_ERROR };

/* Binary operators, in bytecode order. */
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_REM, B_AND, B_OR, B_XOR, B_SHL, B_SHR, B_LT, B_LE, B_GT, B_GE,
       B_EQ, B_NE, B_COUNT };
static const u8 precedence[B_COUNT] = {9, 9, 10, 10, 10, 5, 3, 4, 8, 8, 7, 7, 7, 7, 6, 6};

static int pos;
static int tok;
static i32 tok_val; /* T_NUM: the value; T_VAR: the variable index; T_OP: a B_* code; '-'/'~' below. */

static int streq(const char *a, int len, const char *b) {
  for (int i = 0; i < len; i++)
    if (a[i] != b[i]) return 0;
  return b[len] == 0;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

static void next(void) {
  while (pos < src_len && (src[pos] == ' ' || src[pos] == '\n')) pos++;
  if (pos >= src_len) {
    tok = T_END;
    return;
  }
  char c = src[pos];
  if (c >= '0' && c <= '9') {
    u32 v = 0;
    while (pos < src_len && src[pos] >= '0' && src[pos] <= '9') v = v * 10 + (u32)(src[pos++] - '0');
    tok = T_NUM;
    tok_val = (i32)v;
    return;
  }
  if (is_alpha(c)) {
    int start = pos;
    while (pos < src_len && is_alpha(src[pos])) pos++;
    for (int i = 0; i < 4; i++) {
      if (streq(src + start, pos - start, var_names[i])) {
        tok = T_VAR;
        tok_val = i;
        return;
      }
    }
    tok = T_ERROR;
    return;
  }
  char d = pos + 1 < src_len ? src[pos + 1] : 0;
  pos++;
  tok = T_OP;
  switch (c) {
  case '+': tok_val = B_ADD; return;
  case '-': tok_val = B_SUB; return;
  case '*': tok_val = B_MUL; return;
  case '/': tok_val = B_DIV; return;
  case '%': tok_val = B_REM; return;
  case '&': tok_val = B_AND; return;
  case '|': tok_val = B_OR; return;
  case '^': tok_val = B_XOR; return;
  case '<':
    if (d == '<') { pos++; tok_val = B_SHL; }
    else if (d == '=') { pos++; tok_val = B_LE; }
    else tok_val = B_LT;
    return;
  case '>':
    if (d == '>') { pos++; tok_val = B_SHR; }
    else if (d == '=') { pos++; tok_val = B_GE; }
    else tok_val = B_GT;
    return;
  case '=':
    if (d == '=') { pos++; tok_val = B_EQ; return; }
    break;
  case '!':
    if (d == '=') { pos++; tok_val = B_NE; return; }
    break;
  case '~': tok_val = -1; return; /* only valid as a prefix */
  case '(': tok = T_LPAREN; return;
  case ')': tok = T_RPAREN; return;
  case '?': tok = T_QUESTION; return;
  case ':': tok = T_COLON; return;
  }
  tok = T_ERROR;
}

/* ---- Compiler: precedence climbing to stack bytecode ---------------------------------------------- */

enum { OP_PUSH = B_COUNT, OP_LOAD, OP_NEG, OP_NOT, OP_JZ, OP_JMP, OP_END };

static u8 code[CODE_MAX];
static int code_len;
static int failed;

static void emit(u8 b) {
  if (code_len < CODE_MAX) code[code_len++] = b;
  else failed = 1;
}

static void emit32(i32 v) {
  for (int i = 0; i < 4; i++) emit((u8)((u32)v >> (8 * i)));
}

static void patch32(int at, i32 v) {
  for (int i = 0; i < 4; i++) code[at + i] = (u8)((u32)v >> (8 * i));
}

static void parse_ternary(void);

static void parse_unary(void) {
  if (tok == T_OP && (tok_val == B_SUB || tok_val == -1)) {
    u8 op = tok_val == B_SUB ? OP_NEG : OP_NOT;
    next();
    parse_unary();
    emit(op);
  } else if (tok == T_NUM) {
    emit(OP_PUSH);
    emit32(tok_val);
    next();
  } else if (tok == T_VAR) {
    emit(OP_LOAD);
    emit((u8)tok_val);
    next();
  } else if (tok == T_LPAREN) {
    next();
    parse_ternary();
    if (tok != T_RPAREN) failed = 1;
    next();
  } else {
    failed = 1;
    next();
  }
}

static void parse_binary(int min_prec) {
  parse_unary();
  while (!failed && tok == T_OP && tok_val >= 0 && precedence[tok_val] >= min_prec) {
    int op = tok_val;
    next();
    parse_binary(precedence[op] + 1); /* all binary operators are left-associative */
    emit((u8)op);
  }
}

static void parse_ternary(void) {
  parse_binary(0);
  if (tok != T_QUESTION) return;
  next();
  emit(OP_JZ);
  int jz_at = code_len;
  emit32(0);
  parse_ternary();
  if (tok != T_COLON) failed = 1;
  next();
  emit(OP_JMP);
  int jmp_at = code_len;
  emit32(0);
  patch32(jz_at, code_len);
  parse_ternary();
  patch32(jmp_at, code_len);
}

static int compile(void) {
  pos = 0;
  code_len = 0;
  failed = 0;
  next();
  parse_ternary();
  if (tok != T_END) failed = 1;
  emit(OP_END);
  return !failed;
}

/* ---- VM ------------------------------------------------------------------------------------------ */

static inline i32 read_i32(const u8 *p) {
  i32 v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

/* Arithmetic wraps like wasm's i32 ops; x/0 and x%0 are 0, INT_MIN/-1 wraps, shifts use the low 5 bits. */
static NOINLINE i32 execute(const i32 *vars) {
  i32 stack[256];
  int sp = 0;
  int pc = 0;
  for (;;) {
    u8 op = code[pc++];
    i32 b, a;
    switch (op) {
    case OP_PUSH: stack[sp++] = read_i32(code + pc); pc += 4; continue;
    case OP_LOAD: stack[sp++] = vars[code[pc++]]; continue;
    case OP_NEG: stack[sp - 1] = (i32)(0u - (u32)stack[sp - 1]); continue;
    case OP_NOT: stack[sp - 1] = ~stack[sp - 1]; continue;
    case OP_JZ: pc = stack[--sp] == 0 ? read_i32(code + pc) : pc + 4; continue;
    case OP_JMP: pc = read_i32(code + pc); continue;
    case OP_END: return stack[sp - 1];
    }
    b = stack[--sp];
    a = stack[sp - 1];
    i32 r;
    switch (op) {
    case B_ADD: r = (i32)((u32)a + (u32)b); break;
    case B_SUB: r = (i32)((u32)a - (u32)b); break;
    case B_MUL: r = (i32)((u32)a * (u32)b); break;
    case B_DIV: r = b == 0 ? 0 : (b == -1 ? (i32)(0u - (u32)a) : a / b); break;
    case B_REM: r = b == 0 || b == -1 ? 0 : a % b; break;
    case B_AND: r = a & b; break;
    case B_OR: r = a | b; break;
    case B_XOR: r = a ^ b; break;
    case B_SHL: r = (i32)((u32)a << (b & 31)); break;
    case B_SHR: r = a >> (b & 31); break;
    case B_LT: r = a < b; break;
    case B_LE: r = a <= b; break;
    case B_GT: r = a > b; break;
    case B_GE: r = a >= b; break;
    case B_EQ: r = a == b; break;
    case B_NE: r = a != b; break;
    default: return 0x7BAD0BAD;
    }
    stack[sp - 1] = r;
  }
}

long long run(int n) {
  u64 sum = 0;
  u64 var_seed = 0xFACE;
  for (int e = 0; e < n; e++) {
    gen_seed = 0xE4B12 + (u64)e * 0x10001;
    src_len = 0;
    gen(7);
    if (!compile()) return -1; /* the generator only writes valid expressions */
    sum = mix64(sum, (u64)code_len);
    for (int k = 0; k < EVALS_PER_EXPR; k++) {
      i32 vars[4];
      for (int v = 0; v < 4; v++) vars[v] = (i32)(splitmix64(&var_seed) >> 40) - (1 << 23);
      sum = mix64(sum, (u32)execute(vars));
    }
  }
  return (long long)sum;
}
