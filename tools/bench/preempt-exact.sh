#!/usr/bin/env bash
# Diagnostic for the one known inexactness: a thread stopped asynchronously by the preemption
# timer (Unicorn's uc_emu_stop from another thread) now and then resumes at a PC behind an
# instruction it already ran. Runs tools/bench/preempt_exact.c at several preemption bounds
# (lxrun.preemptAfterMs; 200 ms is lxrun's default) and prints the counts.
#   tools/bench/preempt-exact.sh [BOUND_MS...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$here/../.."
source "$root/tools/env.sh"
lxrun_setup
lxrun_build_if_needed
lxrun_jvm_command
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
gcc -O1 -pthread -o "$work/preempt_exact" "$here/preempt_exact.c"
n=${#LXRUN_JVM[@]}
for ms in "${@:-10 40 200}"; do
  for mode in plain atomic; do
    args=(); [[ $mode == atomic ]] && args=(atomic)
    printf '%4s ms %-6s ' "$ms" "$mode"
    "${LXRUN_JVM[@]:0:n-2}" "-Dlxrun.preemptAfterMs=$ms" "${LXRUN_JVM[@]:n-2}" "$work/preempt_exact" "${args[@]}" || true
  done
done
