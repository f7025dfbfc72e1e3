#!/usr/bin/env bash
# HTTP ingest throughput and latency (issue 16): an embedded broker in its own JVM, one MonitML
# instance in another (started as `monitml run` starts it, HTTP ingest on), and 64 keep-alive senders
# posting the demo's binary-mode CloudEvents: a warm-up, paced phases at 5,000 and 20,000 events/s
# (latency from each event's intended send time), an unpaced phase; then every event answered 202
# must be on the raw topic and decoded by the pipeline (exit 1 if not).
# Writes benchmarks/results/ingest-<time>.json.
# Usage: benchmarks/ingest.sh [OPTIONS]   (passed to io.monitml.benchmarks.IngestBenchmark)
#   --senders 64  --rates 5000,20000  --unpaced true|false  --warmup 10s  --phase 15s  --client raw|jdk
#   --monitml-java-opts '-Xmx1g -XX:StartFlightRecording=filename=ingest.jfr,settings=profile'
#   --monitml-arg ARG (repeatable, e.g. --monitml-arg --http-threads --monitml-arg 32)  --output-dir DIR  --work-dir DIR
# Environment: BENCH_JAVA_OPTS (the senders' JVM, default -Xmx1g), MVN_FLAGS (e.g. -o to build offline),
#   SKIP_BUILD=1 to use the jar already built.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  # shellcheck disable=SC2086
  "$ROOT/mvnw" -q -B ${MVN_FLAGS:-} -f "$ROOT/pom.xml" package -DskipTests -pl benchmarks -am
fi
cd "$ROOT"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$JAR" io.monitml.benchmarks.IngestBenchmark --output-dir "$ROOT/benchmarks/results" "$@"
