#!/usr/bin/env bash
# Issue 20 part 4's figures: do a process's threads run at the same time? CPU-bound work in 1 and
# 2 threads (cpu_threads.c), xz -T1 vs -T2 on SIZE_MB of text, futex ping-pong; natively, under
# qemu-user (if installed), under lxrun with threads taking turns (default) and with
# -Dlxrun.parallelThreads=true. Wall seconds, best of RUNS.
#   tools/bench/parallel-bench.sh [SIZE_MB=100] [RUNS=1]   (MROUNDS=200 million rounds of
#   cpu_threads, FUTEX=20000 round trips; smaller for a loaded machine)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
size=${1:-100} runs=${2:-1} mrounds=${MROUNDS:-200} futex=${FUTEX:-20000}
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
gcc -O2 -pthread -o "$work/cpu_threads" "$here/cpu_threads.c"
gcc -O2 -pthread -o "$work/futex_pingpong" "$here/futex_pingpong.c"
# Compressible but not trivial text: numbered lines of words.
python3 - "$work/input" "$size" <<'PY'
import random, sys
random.seed(20)
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
target = int(sys.argv[2]) << 20
with open(sys.argv[1], "w") as f:
    n = 0
    while n < target:
        line = " ".join(random.choice(words) for _ in range(12)) + " %d\n" % random.randrange(10**6)
        f.write(line); n += len(line)
PY
source "$here/../env.sh"
lxrun_setup
lxrun_build_if_needed
lxrun_jvm_command
n=${#LXRUN_JVM[@]}
serial=("${LXRUN_JVM[@]:0:n-2}" -Dlxrun.parallelThreads=false "${LXRUN_JVM[@]:n-2}")
parallel=("${LXRUN_JVM[@]:0:n-2}" -Dlxrun.parallelThreads=true "${LXRUN_JVM[@]:n-2}")

best() { # best wall seconds of $runs runs of "$@"
  local b=""
  for _ in $(seq "$runs"); do
    local s e t
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 </dev/null || true; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [[ -z "$b" ]] || (( $(echo "$t < $b" | bc) )); then b=$t; fi
  done
  printf '%.2f' "$b"
}

row() {
  local name=$1; shift
  local c1 c2 x1 x2 f
  c1=$(best "$@" "$work/cpu_threads" 1 "$mrounds")
  c2=$(best "$@" "$work/cpu_threads" 2 "$mrounds")
  x1=$(best "$@" /usr/bin/xz -T1 -1 -c "$work/input")
  x2=$(best "$@" /usr/bin/xz -T2 -1 -c "$work/input")
  f=$(best "$@" "$work/futex_pingpong" "$futex")
  printf '%-16s cpu 1t %6ss  2t %6ss (%.2fx)   xz -T1 %6ss  -T2 %6ss (%.2fx)   futex %s %6ss\n' \
    "$name" "$c1" "$c2" "$(echo "$c2 / $c1" | bc -l)" "$x1" "$x2" "$(echo "$x2 / $x1" | bc -l)" "$futex" "$f"
}

echo "cpus: $(nproc), load $(cut -d' ' -f1 /proc/loadavg), input ${size} MB, cpu_threads ${mrounds}M rounds, best of $runs"
row native env
command -v qemu-x86_64 >/dev/null && row qemu-user qemu-x86_64
row lxrun-serial "${serial[@]}"
row lxrun-parallel "${parallel[@]}"
