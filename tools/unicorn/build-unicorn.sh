#!/usr/bin/env bash
# Builds lxrun's own Unicorn: tag 2.1.4 of unicorn-engine/unicorn, x86 only, with the patches in
# tools/unicorn/patches/ applied in name order. Prints the library's absolute path on stdout;
# one progress line (and errors) on stderr. Exits non-zero when no source can be had or the build
# fails, so that fetch-unicorn.sh can fall back to Debian's library.
#
# Source, in order: $LXRUN_UNICORN_SOURCE (a .tar.xz/.tar.gz made by git archive), the copy beside
# the project (../shared/unicorn/unicorn-2.1.4.tar.xz), else the tag's archive from GitHub. Every
# one must carry the tag's commit id in its pax header (what `git get-tar-commit-id` reads).
# The library is cached under $LXRUN_CACHE/unicorn/<key>/ where key hashes the source and the
# patch set, so a changed patch makes a new build and an unchanged one is reused.
set -euo pipefail

TAG=2.1.4
COMMIT=8028ec436f2d9376525352dd38ed9ed6b9f6be10
URL="https://github.com/unicorn-engine/unicorn/archive/refs/tags/$TAG.tar.gz"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="$(cd "$here/../.." && pwd)"
cache="${LXRUN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lxrun}/unicorn"
say() { echo "lxrun: $*" >&2; }

# The commit id git archive wrote into the archive's first (pax global) header.
commit_of() {
  local f=$1 cat=cat
  case "$f" in *.xz) cat="xz -dc" ;; *.gz|*.tgz) cat="gzip -dc" ;; esac
  $cat "$f" 2>/dev/null | head -c 1024 | grep -a -o 'comment=[0-9a-f]\{40\}' | head -n1 | cut -d= -f2 || true
}

checked() { [[ -s "$1" && "$(commit_of "$1")" == "$COMMIT" ]]; }

find_source() {
  local s
  if [[ -n "${LXRUN_UNICORN_SOURCE:-}" ]]; then
    checked "$LXRUN_UNICORN_SOURCE" && { echo "$LXRUN_UNICORN_SOURCE"; return 0; }
    say "LXRUN_UNICORN_SOURCE=$LXRUN_UNICORN_SOURCE is not Unicorn $TAG (commit $COMMIT); ignored"
  fi
  s="$home/../shared/unicorn/unicorn-$TAG.tar.xz"
  checked "$s" && { readlink -f "$s"; return 0; }
  s="$cache/download/unicorn-$TAG.tar.gz"
  checked "$s" && { echo "$s"; return 0; }
  [[ "${LXRUN_UNICORN_OFFLINE:-0}" == 1 ]] && return 1
  command -v curl >/dev/null || return 1
  mkdir -p "$cache/download"
  # An offline machine would wait for the connection on every start: retry once a day.
  local failed="$cache/download/FAILED"
  [[ -n "$(find "$failed" -mmin -1440 2>/dev/null)" ]] && return 1
  if curl -fsSL --connect-timeout 5 --max-time 300 -o "$s.tmp" "$URL" 2>/dev/null && checked "$s.tmp"; then
    mv -f "$s.tmp" "$s"; rm -f "$failed"; echo "$s"; return 0
  fi
  rm -f "$s.tmp"; : >"$failed"
  return 1
}

src="$(find_source)" || { say "no Unicorn $TAG source (LXRUN_UNICORN_SOURCE, ../shared/unicorn/, $URL)"; exit 1; }

patches=("$here"/patches/*.patch)
# The key covers each patch's diff, not its header text, so editing a description keeps the build.
key="$( { sha256sum "$src" | cut -d' ' -f1; for p in "${patches[@]}"; do sed -n '/^diff /,$p' "$p"; done; } | sha256sum | cut -c1-16)"
out="$cache/$key"
if [[ -s "$out/libunicorn.so.2" ]]; then echo "$out/libunicorn.so.2"; exit 0; fi

for tool in cmake make cc patch xz; do
  command -v "$tool" >/dev/null || { say "building Unicorn needs $tool (apt-get install cmake make gcc patch xz-utils)"; exit 1; }
done

say "building lxrun's Unicorn $TAG (x86, ${#patches[@]} patches; once per patch set, about 1 CPU-minute)..."
work="$(mktemp -d "${TMPDIR:-/tmp}/lxrun-unicorn.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log="$work/build.log"
fail() { say "Unicorn build failed ($1); last lines of the log:"; tail -n 15 "$log" >&2; exit 1; }
case "$src" in *.xz) xz -dc "$src" ;; *) gzip -dc "$src" ;; esac | tar -x -C "$work" || fail "unpacking $src"
srcdir="$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n1)"
for p in "${patches[@]}"; do
  patch -d "$srcdir" -p1 --forward --batch <"$p" >>"$log" 2>&1 || fail "patch $(basename "$p")"
done
(cd "$srcdir" && mkdir -p build && cd build &&
  cmake .. -DUNICORN_ARCH=x86 -DCMAKE_BUILD_TYPE=Release -DUNICORN_BUILD_TESTS=OFF >>"$log" 2>&1 &&
  make -j"$(nproc)" >>"$log" 2>&1) || fail "cmake/make"
so="$(find "$srcdir/build" -maxdepth 1 -name 'libunicorn.so.2*' -type f | head -n1)"
[[ -n "$so" ]] || fail "no libunicorn.so.2 produced"
mkdir -p "$out"
cp "$so" "$out/libunicorn.so.2.tmp" && mv -f "$out/libunicorn.so.2.tmp" "$out/libunicorn.so.2"
{ echo "source: $(basename "$src") (commit $COMMIT)"; for p in "${patches[@]}"; do echo "patch: $(basename "$p") $(sha256sum "$p" | cut -c1-16)"; done; } >"$out/BUILD"
echo "$out/libunicorn.so.2"
