#!/usr/bin/env bash
# Starts a Kafka Connect worker in distributed mode without Docker or a Kafka distribution: the
# runtime and the plugins fetch-plugins.sh downloaded from Maven Central (it runs it when they are
# missing), the worker settings of WORKER_PROPERTIES (default connectors/worker/connect-distributed.properties)
# and plugin.path pointing at connectors/target/plugins. Then PUT the connectors with put-connector.sh.
#
# Usage: connectors/run-connect.sh [WORKER_PROPERTIES]
#        JAVA_OPTS="-Xmx1g" connectors/run-connect.sh my-worker.properties
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
worker="${1:-$HERE/worker/connect-distributed.properties}"
[[ -r "$worker" ]] || { echo "run-connect.sh: cannot read $worker" >&2; exit 2; }

if [[ ! -d "$HERE/target/connect/lib" || ! -d "$HERE/target/plugins" ]]; then
  "$HERE/fetch-plugins.sh"
fi

# The worker reads one file: the given settings, with plugin.path made absolute for this checkout.
effective="$HERE/target/connect/worker.properties"
grep -v '^[[:space:]]*plugin\.path[[:space:]]*[=:]' "$worker" > "$effective" || true
printf '\nplugin.path = %s\n' "$HERE/target/plugins" >> "$effective"

# shellcheck disable=SC2086 # JAVA_OPTS holds several options on purpose
exec java ${JAVA_OPTS:-} -cp "$HERE/target/connect/lib/*" org.apache.kafka.connect.cli.ConnectDistributed "$effective"
