#!/usr/bin/env bash
# Creates or updates a connector on a running Connect cluster from one of the JSON files here
# (PUT /connectors/NAME/config is idempotent), then prints its status.
#
# Usage: connectors/put-connector.sh NAME CONFIG_JSON [CONNECT_URL]
#   connectors/put-connector.sh monitml-prediction-stats-jdbc connectors/sink/jdbc-sink-prediction-stats.json
#   connectors/put-connector.sh monitml-drift-jdbc connectors/sink/jdbc-sink-drift.json http://connect:8083
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
name="$1"
config="$2"
url="${3:-${CONNECT_URL:-http://localhost:8083}}"
[[ -r "$config" ]] || { echo "put-connector.sh: cannot read $config" >&2; exit 2; }

curl --fail-with-body --silent --show-error -X PUT -H 'Content-Type: application/json' \
  --data-binary "@$config" "$url/connectors/$name/config"
echo
# The first status can lag the PUT by a moment; ask again if the task list is still empty.
curl --fail-with-body --silent --show-error "$url/connectors/$name/status"
echo
