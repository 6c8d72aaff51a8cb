# Shared by ./lxrun and ./run-tests: finds JDK 25 and Maven, installs what is missing on Debian.
# shellcheck shell=bash

lxrun_die() { echo "lxrun: $*" >&2; exit 1; }

# JAVA_HOME of a JDK >= 25, or fail with a message saying what to install.
lxrun_find_java() {
  local c
  for c in "${LXRUN_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [[ -n "$c" && -x "$c/bin/java" && -x "$c/bin/javac" ]] || continue
    local v
    v="$("$c/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
    if [[ "${v%%.*}" =~ ^[0-9]+$ ]] && (( ${v%%.*} >= 25 )); then echo "$c"; return 0; fi
  done
  return 1
}

# Debian packages lxrun's build and tests need; installed when missing and we are root.
lxrun_apt_install() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
    lxrun_die "missing Debian packages: ${missing[*]} (install them with apt-get)"
  fi
  echo "lxrun: installing ${missing[*]}" >&2
  if [[ -z "${LXRUN_APT_UPDATED:-}" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || true
    export LXRUN_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

lxrun_setup() {
  LXRUN_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  export LXRUN_HOME
  JAVA_HOME="$(lxrun_find_java)" || lxrun_die "a JDK 25 or newer is required (Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64, or set LXRUN_JAVA_HOME)"
  export JAVA_HOME
  command -v mvn >/dev/null || lxrun_apt_install maven
  command -v dpkg-deb >/dev/null || lxrun_apt_install dpkg
  command -v gcc >/dev/null || lxrun_apt_install gcc libc6-dev  # the VM mode's guest init is C
  if [[ -z "${LXRUN_UNICORN:-}" ]]; then
    LXRUN_UNICORN="$("$LXRUN_HOME/tools/unicorn/fetch-unicorn.sh")" || lxrun_die "could not obtain the Unicorn library"
    export LXRUN_UNICORN
  fi
}

# Builds cli/target/lxrun.jar when it is missing or older than any source.
lxrun_build_if_needed() {
  local jar="$LXRUN_HOME/cli/target/lxrun.jar"
  if [[ -f "$jar" ]] && [[ -z "$(find "$LXRUN_HOME" -path "$LXRUN_HOME/*/target" -prune -o \( -path '*/src/main/java/*.java' -o -path '*/vm/src/main/c/*.c' -o -name pom.xml \) -newer "$jar" -print -quit)" ]]; then
    return 0
  fi
  echo "lxrun: building (first use or sources changed)..." >&2
  (cd "$LXRUN_HOME" && mvn -q -B -o -DskipTests -pl cli -am package >&2 2>/dev/null) ||
    (cd "$LXRUN_HOME" && mvn -q -B -DskipTests -pl cli -am package >&2) || lxrun_die "build failed"
}
