#!/usr/bin/env bash
# Issue 8's figures: VM boot-to-exit (cold and persistent) and file-heavy work over 9P compared
# with translation and native. Prints one line per measurement (median of N runs, seconds).
#   tools/bench/vm-bench.sh [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
lxrun="$here/lxrun"
runs="${1:-3}"
work="$(mktemp -d /tmp/lxrun-vmbench.XXXXXX)"
export LXRUN_VM_STATE="$work/vm-state"
trap '"$lxrun" vm stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
timeit() { # label, command...
  local label="$1"; shift
  local t=()
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/out"; mkdir -p "$work/out"
    local s e
    s=$(date +%s.%N); (cd "$work/out" && "$@" >/dev/null); e=$(date +%s.%N)
    t+=("$(echo "$e - $s" | bc)")
  done
  printf '%-34s %8.3f s\n' "$label" "$(printf '%s\n' "${t[@]}" | median)"
}

# Inputs: 5,000 small files in a tar, and a 200 MiB file.
mkdir -p "$work/src"
for ((i = 0; i < 5000; i++)); do printf 'file %d\n' "$i" > "$work/src/f$i"; done
tar -C "$work" -cf "$work/small.tar" src
head -c $((200 << 20)) /dev/urandom > "$work/big"

LXRUN_VM_STATE="$work/none" timeit "vm cold: true (boot to exit)" "$lxrun" --mode vm /bin/true
"$lxrun" vm start
timeit "vm persistent: true" "$lxrun" --mode vm /bin/true
timeit "native: true" /bin/true
timeit "translate: true" "$lxrun" /bin/true

timeit "native: untar 5000 files" tar -xf "$work/small.tar"
timeit "translate: untar 5000 files" "$lxrun" /bin/tar -xf "$work/small.tar"
timeit "vm (9p): untar 5000 files" "$lxrun" --mode vm /bin/tar -xf "$work/small.tar"

timeit "native: read 200 MiB" dd if="$work/big" of=/dev/null bs=1M
timeit "translate: read 200 MiB" "$lxrun" /bin/dd if="$work/big" of=/dev/null bs=1M
timeit "vm (9p): read 200 MiB" "$lxrun" --mode vm /bin/dd if="$work/big" of=/dev/null bs=1M
"$lxrun" --mode vm -v /bin/true 2>&1 | sed -n 's/^lxrun: vm: /vm: /p'
