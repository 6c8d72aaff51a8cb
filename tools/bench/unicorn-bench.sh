#!/usr/bin/env bash
# lxrun's own Unicorn against Debian's, with native and qemu-user as references, in one run:
# a static store-heavy loop and coreutils sha256sum of 100 MB. Wall seconds (JVM start included
# for lxrun), best of $RUNS. Needs qemu-user (qemu-x86_64) for that column.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="$(cd "$here/../.." && pwd)"
RUNS="${RUNS:-2}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
gcc -O2 -static -o "$work/store_loop" "$here/store_loop.c"
head -c 100M /dev/urandom > "$work/data"
own="$("$home/tools/unicorn/build-unicorn.sh")"
debian="$(LXRUN_UNICORN_DEBIAN=1 "$home/tools/unicorn/fetch-unicorn.sh" 2>/dev/null)"

best() { # best wall time of RUNS runs of "$@"
  local b=999999 t
  for _ in $(seq "$RUNS"); do
    t="$( { TIMEFORMAT=%R; time "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -n1)"
    b="$(echo "if ($t < $b) $t else $b" | bc)"
  done
  echo "$b"
}
row() {
  local name=$1; shift
  local n q d o
  n="$(best "$@")"
  if command -v qemu-x86_64 >/dev/null; then q="$(best qemu-x86_64 "$@")"; else q=-; fi
  d="$(LXRUN_UNICORN="$debian" best "$home/lxrun" "$@")"
  o="$(LXRUN_UNICORN="$own" best "$home/lxrun" "$@")"
  printf '%-22s native %6ss  qemu-user %6ss  lxrun/Debian %6ss  lxrun/own %6ss  (Debian/own %.1fx, own/qemu %.1fx)\n' \
    "$name" "$n" "$q" "$d" "$o" "$(echo "$d / $o" | bc -l)" "$(if [[ $q != - ]]; then echo "$o / $q" | bc -l; else echo 0; fi)"
}
row "store loop (2e8)" "$work/store_loop"
row "sha256sum 100 MB" /usr/bin/sha256sum "$work/data"
