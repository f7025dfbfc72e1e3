#!/usr/bin/env bash
# Runs MirrorMaker 2 in dedicated mode without Docker or a Kafka distribution, on the runtime
# fetch-plugins.sh downloaded from Maven Central (it runs it when missing), with the given
# properties (default connectors/mirror-maker/mm2.properties). Only the flows into the monitoring
# cluster run here (--clusters monitoring), so this process never writes to the serving cluster.
#
# Usage: connectors/run-mirror-maker.sh [MM2_PROPERTIES]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config="${1:-$HERE/mirror-maker/mm2.properties}"
[[ -r "$config" ]] || { echo "run-mirror-maker.sh: cannot read $config" >&2; exit 2; }

if [[ ! -d "$HERE/target/connect/lib" ]]; then
  "$HERE/fetch-plugins.sh"
fi

# shellcheck disable=SC2086 # JAVA_OPTS holds several options on purpose
exec java ${JAVA_OPTS:-} -cp "$HERE/target/connect/lib/*" org.apache.kafka.connect.mirror.MirrorMaker \
  --clusters monitoring "$config"
