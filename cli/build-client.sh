#!/usr/bin/env bash
# Compiles the instance client (src/main/c/lxrun-client.c) as a small static binary: it must start
# in a millisecond, so musl when available.
set -euo pipefail
src="$1" out="$2"
mkdir -p "$(dirname "$out")"
[[ -f "$out" && "$out" -nt "$src" ]] && exit 0
if command -v musl-gcc >/dev/null; then cc=musl-gcc; else cc=gcc; fi
"$cc" -static -O2 -Wall -Wextra -Werror -o "$out.tmp" "$src"
strip "$out.tmp" 2>/dev/null || true
mv "$out.tmp" "$out"
