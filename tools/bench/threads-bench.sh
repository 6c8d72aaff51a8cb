#!/usr/bin/env bash
# Issue 5's figures: futex ping-pong between two threads and epoll over 1,000 pipes, natively,
# under qemu-user (if installed) and under lxrun.   tools/bench/threads-bench.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for p in futex_pingpong epoll_pipes; do gcc -O2 -pthread -o "$work/$p" "$here/$p.c"; done
run() { echo "== $1"; shift; "$@" "$work/futex_pingpong" 20000; "$@" "$work/epoll_pipes" 20; }
run native env
command -v qemu-x86_64 >/dev/null && run qemu-user qemu-x86_64
run lxrun "$here/../../lxrun"
