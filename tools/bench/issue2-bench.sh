#!/usr/bin/env bash
# Native vs qemu-user vs lxrun on the foundation workloads. Prints a table of median seconds.
#   tools/bench/issue2-bench.sh [--quick]
# Needs: gcc, musl-gcc, busybox-static, qemu-user (installed on Debian when root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$here/../.."
source "$root/tools/env.sh"
lxrun_apt_install gcc musl-tools busybox-static qemu-user
lxrun_setup
lxrun_build_if_needed
runs=3; size_mib=200; loop=200000000; calls=1000000
if [[ "${1:-}" == --quick ]]; then runs=1; size_mib=20; loop=20000000; calls=100000; fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
musl-gcc -static -O2 -o "$work/cpu_loop" "$here/cpu_loop.c"
musl-gcc -static -O2 -o "$work/getppid_loop" "$here/getppid_loop.c"
musl-gcc -static -O2 -o "$work/syscall_loop" "$here/syscall_loop.c"
musl-gcc -static -O2 -o "$work/hello" "$here/hello.c"
head -c $((size_mib << 20)) /dev/urandom > "$work/data"
lxrun_jvm_command
LX=("${LXRUN_JVM[@]}")
QEMU=(qemu-x86_64)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # runs the command $runs times, prints the median wall time in seconds
  local i t
  for ((i = 0; i < runs; i++)); do
    local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", e - s }'
  done | median
}
row() { # name, then the command after the mode prefix
  local name=$1; shift
  printf "%-28s %10s %10s %10s\n" "$name" "$(timeit "$@")" "$(timeit "${QEMU[@]}" "$@")" "$(timeit "${LX[@]}" "$@")"
}
printf "%-28s %10s %10s %10s\n" workload native qemu-user lxrun
row "sha256sum ${size_mib} MiB" /bin/busybox sha256sum "$work/data"
row "cpu loop ($loop)" "$work/cpu_loop" "$loop"
row "getppid x $calls (libc)" "$work/getppid_loop" "$calls"
row "raw syscall x $calls" "$work/syscall_loop" "$calls"
row "hello startup" "$work/hello"
