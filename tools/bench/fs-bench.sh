#!/usr/bin/env bash
# Filesystem benchmark (issue 3): untar 5,000 small files, then `find | xargs stat` over them,
# natively, under qemu-user and under lxrun (plain, on a --tmpfs and through a --mount, which
# resolve paths with lxrun's own walk). Prints seconds per step. Usage: tools/bench/fs-bench.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
lxrun="$here/lxrun"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/mnt" "$work/host"
for ((i = 0; i < 5000; i++)); do printf 'file %d\n' "$i" > "$work/src/f$i"; done
tar -C "$work/src" -cf "$work/small.tar" .
"$lxrun" /bin/true >/dev/null 2>&1 || true # build once before timing

timeit() {
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || echo "  ($label failed)"
  end=$(date +%s.%N)
  printf '%-44s %6.2f s\n' "$label" "$(echo "$end - $start" | bc)"
}

run_pair() { # label-prefix, runner..., with $dir set
  local label=$1; shift
  rm -rf "$dir"
  timeit "$label: untar 5000 files" "$@" /bin/sh -c "mkdir -p '$dir' && cd '$dir' && tar -xf '$work/small.tar'"
  timeit "$label: find | xargs stat" "$@" /bin/sh -c "cd '$dir' && find . -type f | xargs stat > /dev/null"
}

dir="$work/native"; run_pair "native" env
if command -v qemu-x86_64 >/dev/null; then
  dir="$work/qemu"; run_pair "qemu-user" qemu-x86_64
else
  echo "qemu-user: not installed (apt-get install qemu-user)"
fi
dir="$work/lxrun"; run_pair "lxrun" "$lxrun"
# The tmpfs is empty for each lxrun run, so its pair runs in one guest.
start=$(date +%s.%N)
"$lxrun" --tmpfs "$work/mnt" /bin/sh -c "mkdir '$work/mnt/t' && cd '$work/mnt/t' && tar -xf '$work/small.tar' && find . -type f | xargs stat > /dev/null"
printf '%-44s %6.2f s\n' "lxrun --tmpfs: untar + find | xargs stat" "$(echo "$(date +%s.%N) - $start" | bc)"
dir="$work/mnt/m"; run_pair "lxrun --mount (walked paths)" "$lxrun" --mount "$work/host:$work/mnt"
