#!/usr/bin/env bash
# Median wall time of a few short commands natively, under qemu-user, in lxrun's one-process mode
# (LXRUN_INSTANCE=0: a JVM start per command) and through a warm lxrun instance (LXRUN_INSTANCE=1,
# ./lxrun's small client), the four interleaved in one run so that the machine's load falls on all
# alike. Usage: tools/bench/instance-bench.sh [RUNS]
set -euo pipefail
runs="${1:-21}"
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export LXRUN_INSTANCE_DIR; LXRUN_INSTANCE_DIR="$(mktemp -d /tmp/lxrun-ibench.XXXXXX)"
trap 'LXRUN_INSTANCE=0 "$home/lxrun" instance stop >/dev/null; rm -rf "$LXRUN_INSTANCE_DIR"' EXIT
LXRUN_INSTANCE=0 "$home/lxrun" instance start >/dev/null
qemu="$(command -v qemu-x86_64 || true)"
py=""; [[ -x /usr/bin/python3 ]] && py=/usr/bin/python3  # not a pyenv shim (a script qemu-user cannot run)
commands=("/bin/true" "/bin/ls /")
[[ -n "$py" ]] && commands+=("$py -c pass")
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
median() { sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f", m/1000}'; }
# Warm-up: the instance translates each program once.
for c in "${commands[@]}"; do read -ra a <<<"$c"; LXRUN_INSTANCE=1 "$home/lxrun" "${a[@]}" >/dev/null 2>&1 || true; done
printf '%-26s %10s %10s %12s %14s   (median ms of %d runs)\n' command native qemu-user lxrun-1proc lxrun-instance "$runs"
for c in "${commands[@]}"; do
  read -ra a <<<"$c"
  n=(); q=(); o=(); l=()
  for ((i = 0; i < runs; i++)); do
    n+=("$(ms "${a[@]}")")
    [[ -n "$qemu" ]] && q+=("$(ms "$qemu" "${a[@]}")")
    o+=("$(LXRUN_INSTANCE=0 ms "$home/lxrun" "${a[@]}")")
    l+=("$(LXRUN_INSTANCE=1 ms "$home/lxrun" "${a[@]}")")
  done
  qm="-"; [[ -n "$qemu" ]] && qm="$(printf '%s\n' "${q[@]}" | median)"
  printf '%-26s %10s %10s %12s %14s\n' "$c" "$(printf '%s\n' "${n[@]}" | median)" "$qm" \
    "$(printf '%s\n' "${o[@]}" | median)" "$(printf '%s\n' "${l[@]}" | median)"
done
