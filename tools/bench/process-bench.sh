#!/usr/bin/env bash
# Process creation: native vs qemu-user vs lxrun. Prints median seconds for N iterations and the
# derived cost per iteration.   tools/bench/process-bench.sh [N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$here/../.."
source "$root/tools/env.sh"
lxrun_apt_install gcc musl-tools dash qemu-user
lxrun_setup
lxrun_build_if_needed
n="${1:-200}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
musl-gcc -static -O2 -o "$work/fork_loop" "$here/fork_loop.c"
musl-gcc -static -O2 -o "$work/true_static" -x c - <<<'int main(void){return 0;}'
lxrun_jvm_command
LX=("${LXRUN_JVM[@]}")
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'; }
qemu="$(command -v qemu-x86_64)"
# name, the native command, then the same under qemu-user with every program it starts emulated
# too (qemu-user execs children natively unless told otherwise; an x86-64 host has no binfmt entry
# for its own architecture, so a child has to be started through qemu-x86_64 explicitly).
row() {
  local name=$1 native=$2 emulated=$3
  local a b c
  a=$(seconds bash -c "$native"); b=$(seconds bash -c "$emulated"); c=$(seconds bash -c "$(printf '%q ' "${LX[@]}") $native")
  printf "%-44s %8s %8s %8s   lxrun %.2f ms/iter (startup included)\n" "$name" "$a" "$b" "$c" "$(awk -v c="$c" -v n="$n" 'BEGIN { print c * 1000 / n }')"
}
printf "%-44s %8s %8s %8s\n" "workload (x$n)" native qemu lxrun
row "fork+wait (static parent)" "$work/fork_loop $n" "$qemu $work/fork_loop $n"
row "fork+exec static+wait" "$work/fork_loop $n $work/true_static" "$qemu $work/fork_loop $n $qemu $work/true_static"
row "dash: fork+exec /bin/true (dynamic)+wait" \
  "/bin/dash -c 'i=0; while [ \$i -lt $n ]; do /bin/true; i=\$((i+1)); done'" \
  "$qemu /bin/dash -c 'i=0; while [ \$i -lt $n ]; do $qemu /bin/true; i=\$((i+1)); done'"
row "dash: echo | wc -l (a fork, a fork+exec)" \
  "/bin/dash -c 'i=0; while [ \$i -lt $n ]; do echo \$i | /usr/bin/wc -l >/dev/null; i=\$((i+1)); done'" \
  "$qemu /bin/dash -c 'i=0; while [ \$i -lt $n ]; do echo \$i | $qemu /usr/bin/wc -l >/dev/null; i=\$((i+1)); done'"
row "startup only (static true, x1)" "$work/true_static" "$qemu $work/true_static"
row "startup only (dynamic /bin/true, x1)" "/bin/true" "$qemu /bin/true"
