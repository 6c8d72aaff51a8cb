#!/usr/bin/env bash
# Guest code speed (issue 20): native, qemu-user (qemu-x86_64) and lxrun on its own Unicorn, in
# the same run, with the ratio lxrun/qemu-user. CPU seconds (user+sys, children included), best
# of $RUNS. lxrun's column is given after JVM start: the CPU of `lxrun` running a static
# program that returns at once is measured the same way and subtracted (shown as "JVM").
# Rows: a static store loop (tools/bench/store_loop.c), coreutils sha256sum of 200 MB,
# `python3 -c pass`, and `gcc -c` of a generated 2,000-line C file. qemu-user runs an exec'd
# child natively, so its gcc figure is the sum of the driver's own steps (cc1, as) each run
# under qemu-x86_64, as `gcc -###` lists them. Issue 20's targets: store loop and sha256sum
# <= 2.5x qemu-user, python3 and gcc <= 2x.
# LXRUN_UNICORN picks another library for lxrun (default: what ./lxrun picks, the own build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="$(cd "$here/../.." && pwd)"
RUNS="${RUNS:-3}"
SIZE="${SIZE:-200M}"
command -v qemu-x86_64 >/dev/null || { echo "guest-speed: needs qemu-x86_64 (apt-get install qemu-user)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
gcc -O2 -static -o "$work/store_loop" "$here/store_loop.c"
printf 'int main(void){return 0;}\n' > "$work/nop.c"; gcc -O2 -static -o "$work/nop" "$work/nop.c"
head -c "$SIZE" /dev/urandom > "$work/data"

# A 2,000-line C file: 200 small functions with loops, switches and structs.
{
  echo '#include <stddef.h>'
  echo 'struct pt { long x, y; double w; };'
  for i in $(seq 1 200); do
    cat <<EOF
long f$i(const struct pt *p, size_t n, long k) {
    long acc = $i;
    for (size_t j = 0; j < n; j++) {
        switch ((p[j].x + k) & 3) {
        case 0: acc += p[j].x * $i; break;
        case 1: acc ^= p[j].y << (j & 7); break;
        default: acc -= (long)(p[j].w * 1.5);
        }
    }
    return acc;
}
EOF
  done
} > "$work/gen.c"

cpu() { # CPU seconds (user+sys) of one run of "$@"
  /usr/bin/time -o "$work/time" -f '%U %S' "$@" >/dev/null 2>&1 </dev/null || true
  tail -n1 "$work/time" | awk '{printf "%.2f", $1 + $2}'
}
best() { # best CPU seconds of RUNS runs of "$@"
  local b=999999 t
  for _ in $(seq "$RUNS"); do
    t="$(cpu "$@")"
    b="$(echo "if ($t < $b) $t else $b" | bc)"
  done
  echo "$b"
}
# qemu-user's gcc: each step gcc -### prints, run under qemu-x86_64 (it would run children natively).
qemu_gcc() {
  local total=0 t line
  while IFS= read -r line; do
    [[ $line == ' '[!\ ]* ]] || continue
    eval "set -- $line"
    t="$(cd "$work" && cpu qemu-x86_64 "$(command -v "$1")" "${@:2}")"
    total="$(echo "$total + $t" | bc)"
  done < <(cd "$work" && gcc -### -O2 -c gen.c -o gen.o 2>&1)
  echo "$total"
}
best_qemu_gcc() {
  local b=999999 t
  for _ in $(seq "$RUNS"); do t="$(qemu_gcc)"; b="$(echo "if ($t < $b) $t else $b" | bc)"; done
  echo "$b"
}

jvm="$(best "$home/lxrun" "$work/nop")"
echo "lxrun JVM start (static program that exits at once): ${jvm}s CPU, subtracted below"
row() {
  local name=$1 target=$2 q=$3; shift 3
  local n l g
  n="$(best "$@")"
  l="$(best "$home/lxrun" "$@")"
  g="$(echo "x = $l - $jvm; if (x < 0) 0 else x" | bc)"
  printf '%-26s native %6ss  qemu-user %6ss  lxrun %6ss (after JVM %6ss)  lxrun/qemu %5.2fx  target <= %sx\n' \
    "$name" "$n" "$q" "$l" "$g" "$(echo "$g / $q" | bc -l)" "$target"
}
row "store loop (2e8)" 2.5 "$(best qemu-x86_64 "$work/store_loop")" "$work/store_loop"
row "sha256sum $SIZE" 2.5 "$(best qemu-x86_64 /usr/bin/sha256sum "$work/data")" /usr/bin/sha256sum "$work/data"
row "python3 -c pass" 2 "$(best qemu-x86_64 /usr/bin/python3 -c pass)" /usr/bin/python3 -c pass
row "gcc -O2 -c (2,000 lines)" 2 "$(best_qemu_gcc)" bash -c "cd '$work' && exec gcc -O2 -c gen.c -o gen.o"
