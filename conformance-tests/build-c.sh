#!/usr/bin/env bash
# Compiles every conformance test program three ways: static with musl, static with glibc,
# and static-pie with glibc. Called by Maven (generate-test-resources); fails when a compiler
# is missing, so a machine without them cannot pass the suite by skipping it.
set -euo pipefail
src="$1"; out="$2"
command -v gcc >/dev/null || { echo "build-c.sh: gcc not found (apt-get install gcc libc6-dev)" >&2; exit 1; }
command -v musl-gcc >/dev/null || { echo "build-c.sh: musl-gcc not found (apt-get install musl-tools)" >&2; exit 1; }
mkdir -p "$out/musl" "$out/glibc" "$out/glibc-pie"
for c in "$src"/*.c; do
  name="$(basename "$c" .c)"
  build() { # variant compiler flags...
    local dest="$out/$1/$name"; shift
    if [[ ! -x "$dest" || "$c" -nt "$dest" ]]; then "$@" -O1 -Wall -pthread -o "$dest" "$c" -lm; fi
  }
  build musl musl-gcc -static
  build glibc gcc -static
  build glibc-pie gcc -static-pie
done
