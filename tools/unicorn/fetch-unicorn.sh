#!/usr/bin/env bash
# Provides the Unicorn library lxrun runs guest code on, cached per user.
#
# Order of preference:
#   1. lxrun's own build (tools/unicorn/build-unicorn.sh): Unicorn 2.1.4 from pinned source with
#      lxrun's patches (exact asynchronous stops, stores at full speed), built once per patch set;
#   2. only when no source can be had (or LXRUN_UNICORN_DEBIAN=1): Debian's newest
#      libunicorn2t64 binary package, downloaded through apt with a private configuration so the
#      system's sources are not touched, with one warning line saying what is lost;
#   3. the system's libunicorn.so.2, installed with apt-get when we are root.
# Prints the absolute path of the library on stdout; diagnostics go to stderr.
set -euo pipefail

cache="${LXRUN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lxrun}/unicorn"
lib="$cache/libunicorn.so.2"
say() { echo "lxrun: $*" >&2; }

if [[ "${LXRUN_UNICORN_DEBIAN:-0}" != 1 ]] && own="$("$(dirname "$(readlink -f "$0")")/build-unicorn.sh")"; then
  echo "$own"; exit 0
fi

# Said once per run that falls back: what Debian's build costs (see docs/architecture.md).
warn_fallback() {
  say "warning: using Debian's Unicorn (lxrun's own build needs the Unicorn 2.1.4 source: ../shared/unicorn/, LXRUN_UNICORN_SOURCE or internet): guest stores run several times slower, and a thread is stopped for signals, preemption and job control only at its next system call, so a thread that computes without syscalls is not preempted (and its process's other threads wait), and code a JIT writes through a second, writable mapping of the same memory is not seen"
}

if [[ -s "$lib" ]]; then warn_fallback; echo "$lib"; exit 0; fi
mkdir -p "$cache"

# The suite whose binary is used; its glibc requirement (2.34) is met by bookworm.
suite="${LXRUN_UNICORN_SUITE:-sid}"

debian_uri() {
  # Reuse the mirror this machine is already configured with.
  local f
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
    [[ -r "$f" ]] || continue
    awk '/^URIs:/ && /debian\/?$/ {print $2; exit} /^deb / && $2 ~ /debian\/?$/ && $3 !~ /security/ {print $2; exit}' "$f"
  done | head -n1
}

fetch_debian_binary() {
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || return 1
  local uri; uri="$(debian_uri)"; [[ -n "$uri" ]] || return 1
  local apt="$cache/apt"; rm -rf "$apt"
  mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc/preferences.d" "$apt/deb"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" > "$apt/etc/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt/etc/sources.list" -o "Dir::Etc::SourceParts=-"
              -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt" -o "Dir::Etc::Preferences=-"
              -o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d" -o "APT::Sandbox::User=root" -q)
  say "fetching Debian $suite's libunicorn2t64 (first use only)"
  apt-get "${opts[@]}" update >&2 || return 1
  (cd "$apt/deb" && apt-get "${opts[@]}" download libunicorn2t64 >&2) || return 1
  local deb; deb="$(ls "$apt"/deb/libunicorn2t64_*.deb 2>/dev/null | head -n1)"; [[ -n "$deb" ]] || return 1
  dpkg-deb -x "$deb" "$apt/root" || return 1
  local so; so="$(find "$apt/root" -name 'libunicorn.so.2*' -type f | head -n1)"; [[ -n "$so" ]] || return 1
  cp "$so" "$lib.tmp" && mv "$lib.tmp" "$lib"
  basename "$deb" > "$cache/SOURCE"
  rm -rf "$apt"
}

system_library() {
  local so
  for so in /usr/lib/x86_64-linux-gnu/libunicorn.so.2 /usr/lib64/libunicorn.so.2 /usr/local/lib/libunicorn.so.2; do
    [[ -s "$so" ]] && { echo "$so"; return 0; }
  done
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing the system libunicorn2"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libunicorn2 >&2 || return 1
    [[ -s /usr/lib/x86_64-linux-gnu/libunicorn.so.2 ]] && { echo /usr/lib/x86_64-linux-gnu/libunicorn.so.2; return 0; }
  fi
  return 1
}

if [[ "${LXRUN_UNICORN_SYSTEM:-0}" != 1 ]] && fetch_debian_binary; then
  warn_fallback; echo "$lib"; exit 0
fi
if system_library; then warn_fallback; exit 0; fi
say "no Unicorn library available: neither Debian's libunicorn2t64 package nor a system libunicorn.so.2 could be obtained"
exit 1
