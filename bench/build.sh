#!/bin/sh
# Rebuilds bench/wasm/*.wasm from bench/programs/*.c.
# Needs Debian's clang-14 and lld-14 (wasm-ld) and libclang-rt-14-dev-wasm32 (for __multi3 and friends).
# The programs are freestanding: no libc and no WASI imports, so the benchmark times the engine only.
set -eu
cd "$(dirname "$0")"
CC=${CC:-clang-14}
RT=$("$CC" --target=wasm32-wasi -print-libgcc-file-name)
[ -f "$RT" ] || { echo "build.sh: compiler-rt builtins not found at $RT (apt install libclang-rt-14-dev-wasm32)" >&2; exit 1; }
mkdir -p wasm
for src in programs/*.c; do
  name=$(basename "$src" .c)
  # wasm-ld exports the memory as "memory" by default (lld-14 rejects --export=memory: it is no symbol).
  # --stack-first puts the 256 KiB shadow stack below the data, so an overflow traps instead of
  # silently overwriting static arrays. wasm-ld sizes the initial memory to fit data + stack.
  "$CC" --target=wasm32-wasi -O2 -std=c11 -Wall -Wextra -Werror -ffreestanding -nostdlib \
    -Wl,--no-entry -Wl,--export=run \
    -Wl,--stack-first -Wl,-z,stack-size=262144 \
    -o "wasm/$name.wasm" "$src" "$RT"
  echo "built wasm/$name.wasm ($(wc -c < "wasm/$name.wasm") bytes)"
done
# Fail if any program picked up an import (it would not be a pure CPU benchmark any more).
node -e '
const fs = require("node:fs");
let bad = 0;
for (const f of fs.readdirSync("wasm").filter((f) => f.endsWith(".wasm"))) {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync("wasm/" + f)));
  if (imports.length) { bad++; console.error(`${f} imports ${imports.map((i) => i.module + "." + i.name).join(", ")}`); }
}
process.exit(bad ? 1 : 0);
'
