#!/usr/bin/env bash
# Measures MonitML's time from start to ready: from launching `monitml run` with the embedded
# broker and registry until /health answers 200 (Kafka Streams RUNNING). Runs each case
# RUNS times (default 3): a fresh data directory, and a restart on the data the previous run left.
# SIGTERM stops each run, as Ctrl-C or Kubernetes would, through the same shutdown hook.
# Usage: benchmarks/startup.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"
PORT="${MONITML_BENCH_HTTP_PORT:-18089}"
JAR="$ROOT/streams-app/target/monitml.jar"
[[ -f "$JAR" ]] || "$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" package -DskipTests
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

measure() { # measure DATA_DIR: prints milliseconds until /health is 200, then stops the app
  local data="$1" start pid
  start=$(date +%s%N)
  java -jar "$JAR" run --data-dir "$data" --http-port "$PORT" --embedded-kafka-port 0 --embedded-registry-port 0 \
    >"$data.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "monitml exited; see $data.log" >&2; cat "$data.log" >&2; exit 1; fi
    sleep 0.05
  done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
  kill -TERM "$pid"
  wait "$pid" || true
}

echo "case,run,ms_to_ready"
for i in $(seq 1 "$RUNS"); do
  data="$WORK/data-$i"
  echo "fresh,$i,$(measure "$data")"
  echo "restart,$i,$(measure "$data")"
done
