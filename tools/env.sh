# Shared by ./lxrun and ./run-tests: finds JDK 25 and Maven, installs what is missing on Debian.
# shellcheck shell=bash

lxrun_die() { echo "lxrun: $*" >&2; exit 1; }

# JAVA_HOME of a JDK >= 25, or fail with a message saying what to install.
lxrun_find_java() {
  local c
  for c in "${LXRUN_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [[ -n "$c" && -x "$c/bin/java" && -x "$c/bin/javac" ]] || continue
    local v
    # The JDK's release file says its version without starting a JVM (~85 ms a launch).
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$c/release" 2>/dev/null)"
    [[ -n "$v" ]] || v="$("$c/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
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
  # lxrun's own Unicorn is built from source on first use (tools/unicorn/build-unicorn.sh).
  if [[ $EUID -eq 0 ]] && ! { command -v cmake && command -v patch && command -v make; } >/dev/null; then
    (lxrun_apt_install cmake patch make) || true
  fi
  if [[ -z "${LXRUN_UNICORN:-}" ]]; then
    LXRUN_UNICORN="$("$LXRUN_HOME/tools/unicorn/fetch-unicorn.sh")" || lxrun_die "could not obtain the Unicorn library"
    export LXRUN_UNICORN
  fi
}

# Builds cli/target/lxrun.jar when it is missing or older than any source.
lxrun_build_if_needed() {
  local jar="$LXRUN_HOME/cli/target/lxrun.jar"
  if [[ -f "$jar" ]] && [[ -z "$(find "$LXRUN_HOME" -path "$LXRUN_HOME/*/target" -prune -o \( -path '*/src/main/java/*.java' -o -path '*/vm/src/main/c/*.c' -o -path '*/cli/src/main/c/*.c' -o -name pom.xml \) -newer "$jar" -print -quit)" ]]; then
    return 0
  fi
  echo "lxrun: building (first use or sources changed)..." >&2
  # Offline first, silently: on a fresh machine it fails for want of plugins, and the online
  # build that follows is the one whose errors matter.
  (cd "$LXRUN_HOME" && mvn -q -B -o -DskipTests -pl cli -am package >/dev/null 2>&1) ||
    (cd "$LXRUN_HOME" && mvn -q -B -DskipTests -pl cli -am package >&2) || lxrun_die "build failed"
}

# The JVM command line that runs lxrun, in the array LXRUN_JVM (the program's arguments follow):
# the options in tools/jvm-options and the AOT cache when one was made for this build.
lxrun_jvm_command() {
  local jar="$LXRUN_HOME/cli/target/lxrun.jar" aot="$LXRUN_HOME/cli/target/lxrun.aot"
  LXRUN_JVM=("$JAVA_HOME/bin/java" "@$LXRUN_HOME/tools/jvm-options")
  lxrun_prepare_aot_cache "$jar" "$aot"
  if [[ -s "$aot" && "$aot" -nt "$jar" ]]; then LXRUN_JVM+=("-XX:AOTCache=$aot"); fi
  LXRUN_JVM+=("-Dlxrun.unicorn=$LXRUN_UNICORN" -jar "$jar")
}

# JDK 25's AOT cache (lxrun's classes loaded and linked ahead of time), made once per build by a
# training run of a small shell pipeline. A cache the JVM finds stale is ignored silently; a
# failed training is remembered so that it is not retried on every start. LXRUN_AOT=0 skips it.
lxrun_prepare_aot_cache() {
  local jar=$1 aot=$2
  [[ "${LXRUN_AOT:-1}" == 0 || ! -f "$jar" ]] && return 0
  # Made again after a change of the JVM's options too: the compilers it was trained for change.
  local opts="$LXRUN_HOME/tools/jvm-options"
  [[ ( "$aot" -nt "$jar" && "$aot" -nt "$opts" ) || ( "$aot.failed" -nt "$jar" && "$aot.failed" -nt "$opts" ) ]] && return 0
  echo "lxrun: preparing the JVM's start-up cache (once per build)..." >&2
  local tmp="$aot.$$"
  rm -f "$aot" "$aot.failed"
  if (cd / && env -u JAVA_TOOL_OPTIONS "${LXRUN_JVM[@]}" "-XX:AOTCacheOutput=$tmp" -jar "$jar" \
        /bin/sh -c 'echo lxrun | cat >/dev/null; ls / >/dev/null' </dev/null >/dev/null 2>&1) && [[ -s "$tmp" ]]; then
    mv -f "$tmp" "$aot"
  else
    rm -f "$tmp" "$tmp.config"
    : > "$aot.failed"
  fi
}
