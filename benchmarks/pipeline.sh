#!/usr/bin/env bash
# End-to-end throughput of MonitML through a real broker (issue 8): pre-loads N inferences in the
# Seldon v1 direct Kafka logger format into a 2-partition topic and reads it (a) with a plain
# consumer, (b) with a consumer that parses every JSON body, (c) with the whole MonitML pipeline,
# one and two instances. Writes benchmarks/results/pipeline-<date>.json and pipeline.png.
# Usage: benchmarks/pipeline.sh [SIZES...]             (default: 100000 1000000 inferences)
#   Options before the sizes are passed to io.monitml.benchmarks.PipelineBenchmark:
#   --bootstrap-servers HOST:PORT --schema-registry-url URL   a real cluster instead of the embedded one
#   --instances 1,2   --processing-guarantee exactly_once_v2|at_least_once   --output-dir DIR
# Environment: BENCH_JAVA_OPTS (default -Xmx2g), MVN_FLAGS (e.g. -o to build offline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
# shellcheck disable=SC2086
"$ROOT/mvnw" -q -B ${MVN_FLAGS:-} -f "$ROOT/pom.xml" clean package -DskipTests -pl benchmarks -am
[[ $# -gt 0 ]] || set -- 100000 1000000
cd "$ROOT"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$JAR" io.monitml.benchmarks.PipelineBenchmark --output-dir "$ROOT/benchmarks/results" "$@"
