#!/usr/bin/env bash
# Per-call cost of the syscall path (not a test): the small C benches of this directory, static
# glibc, natively, under qemu-user (qemu-x86_64) and under lxrun, in the same run.
#   pipe_roundtrip: CPU per pipe write+read pair   epoll_pipes: events/s over 1,000 pipes
#   futex_pingpong: round trips/s between two threads   syscall_loop: a bare getppid loop
# Usage: tools/bench/syscall-bench.sh [lxrun-command]
set -euo pipefail
here="$(dirname "$(readlink -f "$0")")"
LX="${1:-$here/../../lxrun}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for p in pipe_roundtrip epoll_pipes futex_pingpong syscall_loop; do
  gcc -O2 -static -o "$work/$p" "$here/$p.c" -lpthread
done
uptime
for mode in native qemu lxrun; do
  case $mode in native) run=();; qemu) run=(qemu-x86_64);; lxrun) run=("$LX");; esac
  echo "== $mode"
  "${run[@]}" "$work/pipe_roundtrip" 300000
  "${run[@]}" "$work/epoll_pipes" 50
  "${run[@]}" "$work/futex_pingpong" 2>&1 | tail -1
  start=$(date +%s.%N)
  "${run[@]}" "$work/syscall_loop" 3000000 >/dev/null
  echo "3,000,000 getppid: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f s wall (with start-up)", b-a}')"
done
uptime
