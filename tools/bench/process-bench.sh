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
LX=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xss8m -jar "$root/cli/target/lxrun.jar")
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'; }
row() { # name, command...
  local name=$1; shift
  local a b c
  a=$(seconds "$@"); b=$(seconds qemu-x86_64 "$@"); c=$(seconds "${LX[@]}" "$@")
  printf "%-44s %8s %8s %8s   lxrun %.2f ms/iter (startup included)\n" "$name" "$a" "$b" "$c" "$(awk -v c="$c" -v n="$n" 'BEGIN { print c * 1000 / n }')"
}
printf "%-44s %8s %8s %8s\n" "workload (x$n)" native qemu lxrun
row "fork+wait (static parent)" "$work/fork_loop" "$n"
row "fork+exec static+wait" "$work/fork_loop" "$n" "$work/true_static"
row "dash: fork+exec /bin/true (dynamic)+wait" /bin/dash -c "i=0; while [ \$i -lt $n ]; do /bin/true; i=\$((i+1)); done"
row "startup only (static true, x1)" "$work/true_static"
