#!/usr/bin/env bash
# Loopback network benchmark (not a test): the same Debian programs natively, under qemu-user
# (qemu-x86_64) and under lxrun. Throughput: guest curl downloading 200 MB from a host HTTP
# server. Request latency: redis-benchmark (host) PING/GET against the guest redis-server.
# Usage: tools/bench/net-bench.sh [lxrun-command]
set -euo pipefail
LX="${1:-$(dirname "$(readlink -f "$0")")/../../lxrun}"
# The programs it runs, from Debian (installed when absent and we are root).
need=()
for p in curl:curl redis-server:redis-server redis-benchmark:redis-tools qemu-x86_64:qemu-user; do
  command -v "${p%%:*}" >/dev/null || need+=("${p#*:}")
done
if ((${#need[@]})); then
  [[ $(id -u) == 0 ]] || { echo "net-bench: missing ${need[*]} (apt-get install them)" >&2; exit 1; }
  apt-get install -y -q "${need[@]}" >/dev/null || { echo "net-bench: apt-get install ${need[*]} failed" >&2; exit 1; }
fi
uptime
work="$(mktemp -d)"; trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
head -c 200M /dev/zero > "$work/big"
port=$((20000 + RANDOM % 20000))
python3 -m http.server -b 127.0.0.1 "$port" -d "$work" >/dev/null 2>&1 &
# A loaded machine takes more than a second to start it: wait until it answers.
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done
for mode in native qemu lxrun; do
  case $mode in native) run=();; qemu) run=(qemu-x86_64);; lxrun) run=("$LX");; esac
  speed=$("${run[@]}" /usr/bin/curl -s -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$port/big")
  echo "$mode curl download: $(awk -v s="$speed" 'BEGIN{printf "%.1f MB/s", s/1e6}')"
done
for mode in native qemu lxrun; do
  case $mode in native) run=();; qemu) run=(qemu-x86_64);; lxrun) run=("$LX");; esac
  rport=$((port + 1))
  "${run[@]}" /usr/bin/redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 &
  for _ in $(seq 60); do redis-cli -p "$rport" ping 2>/dev/null | grep -q PONG && break; sleep 0.5; done
  echo "$mode redis (1 client, sequential requests):"
  redis-benchmark -p "$rport" -q -n 5000 -c 1 -t ping,get | tr '\r' '\n' | grep 'requests per second' | sed 's/^/  /'
  redis-cli -p "$rport" shutdown nosave >/dev/null 2>&1 || true
  wait $! 2>/dev/null || true
done
