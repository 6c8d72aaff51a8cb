#!/usr/bin/env bash
# Compiles the VM guest's init as a static binary (musl when available: ~10x smaller than glibc's).
set -euo pipefail
src="$1" out="$2"
mkdir -p "$(dirname "$out")"
[[ -f "$out" && "$out" -nt "$src" ]] && exit 0
if command -v musl-gcc >/dev/null; then cc=musl-gcc; else cc=gcc; fi
"$cc" -static -Os -Wall -Wextra -Werror -o "$out.tmp" "$src"
strip "$out.tmp" 2>/dev/null || true
mv "$out.tmp" "$out"
