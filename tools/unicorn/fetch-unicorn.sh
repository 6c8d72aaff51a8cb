#!/usr/bin/env bash
# Provides the Unicorn library lxrun runs guest code on, cached per user.
#
# Order of preference:
#   1. the cache ($LXRUN_CACHE/unicorn/libunicorn.so.2) from an earlier run;
#   2. Debian's newest libunicorn2t64 binary package (2.1.x: CPUID, PDEP and
#      store-path fixes that bookworm's 2.0.1 lacks), downloaded through apt with
#      a private configuration so the system's sources are not touched;
#   3. the system's libunicorn.so.2 (bookworm: libunicorn2 2.0.1), installed
#      with apt-get when we are root.
# Prints the absolute path of the library on stdout; diagnostics go to stderr.
set -euo pipefail

cache="${LXRUN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lxrun}/unicorn"
lib="$cache/libunicorn.so.2"
say() { echo "lxrun: $*" >&2; }

if [[ -s "$lib" ]]; then echo "$lib"; exit 0; fi
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
  echo "$lib"; exit 0
fi
if system_library; then exit 0; fi
say "no Unicorn library available: neither Debian's libunicorn2t64 package nor a system libunicorn.so.2 could be obtained"
exit 1
