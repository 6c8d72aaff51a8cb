#!/usr/bin/env bash
# Runs lxrun's fuzzers (FuzzTest: random syscalls under --root with --tmpfs and --mount, and ELF
# mutants fed to execve) for N minutes and prints the report (also in
# conformance-tests/target/fuzz-report.txt): seeds run, internal errors, hangs, JVM crashes and,
# for every fifth seed, differences from the native run.
#   tools/fuzz/run.sh --minutes N [--first-seed S]
set -euo pipefail
minutes=10 first=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --first-seed) first="$2"; shift 2 ;;
    *) echo "usage: $0 --minutes N [--first-seed S]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
status=0
./run-tests -q -pl conformance-tests -am -Dtest=FuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlxrun.fuzzSeconds=$((minutes * 60)) -Dlxrun.fuzzFirstSeed="$first" -Dsurefire.timeout=0 >/dev/null 2>&1 || status=$?
cat conformance-tests/target/fuzz-report.txt
exit $status
