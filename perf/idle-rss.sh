#!/usr/bin/env bash
# Idle memory of the sidecar on its embedded default config: starts the release binary,
# waits for it to settle, reads VmRSS/VmHWM from /proc, probes readiness, stops it.
# Usage: perf/idle-rss.sh [extra `layotto start` args...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin layotto
bin=target/release/layotto
log=$(mktemp)
"$bin" start --log-format json "$@" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q serving "$log" && break; sleep 0.05; done
sleep 2
ready=$(curl -s -o /dev/null -w '%{http_code}' localhost:34999/actuator/health/readiness || true)
rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
hwm=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status)
threads=$(awk '/^Threads/ {print $2}' /proc/$pid/status)
echo "readiness=$ready rss_kib=$rss peak_rss_kib=$hwm threads=$threads workers=$(grep -o "\"workers\":[0-9]*" "$log" | head -1 | cut -d: -f2)"
kill -TERM "$pid"
wait "$pid" && echo "exit=0 after SIGTERM"
