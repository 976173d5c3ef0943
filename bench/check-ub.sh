#!/bin/sh
# Builds each program for the host with UBSan + ASan and checks that it returns the same checksum as the
# wasm build on native V8 (small n). A difference means undefined behaviour or a non-portable program,
# and then the interpreter-vs-native comparison in run.ts would not be trustworthy.
set -eu
cd "$(dirname "$0")"
CC=${CC:-clang-14}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <stdio.h>\n#include <stdlib.h>\nlong long run(int n);\nint main(int c, char **v) { (void)c; printf("%%lld\\n", run(atoi(v[1]))); return 0; }\n' > "$tmp/main.c"
status=0
for spec in crc-hash:20 matmul:3 sort:2 expr-vm:10000 recursion:3 nbody:20 mandelbrot:2 i64-mix:1000000; do
  name=${spec%%:*}
  n=${spec#*:}
  "$CC" -O1 -g -fsanitize=undefined,address -fno-sanitize-recover=all -ffp-contract=off -w \
    -o "$tmp/$name" "programs/$name.c" "$tmp/main.c"
  host=$("$tmp/$name" "$n" 2>&1) || { echo "$name: host build failed: $host"; status=1; continue; }
  wasm=$(node -e "const m = new WebAssembly.Module(require('node:fs').readFileSync('wasm/$name.wasm'));
    console.log(String(new WebAssembly.Instance(m, {}).exports.run($n)))")
  if [ "$host" = "$wasm" ]; then echo "$name: ok ($wasm)"; else echo "$name: DIFFERENT host=$host wasm=$wasm"; status=1; fi
done
exit $status
