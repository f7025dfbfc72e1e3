#!/usr/bin/env bash
# Downloads, from Maven Central and at the exact versions below, what the Kafka Connect part of
# MonitML runs on, into connectors/target/ (nothing outside the repository is touched):
#
#   target/plugins/debezium-connector-jdbc/       Debezium's JDBC sink connector, its plugin archive
#                                                 (connector, Hibernate, and the JDBC drivers of
#                                                 PostgreSQL, MySQL, MariaDB, SQL Server and Oracle)
#   target/plugins/apicurio-registry-converter/   Apicurio Registry's Avro converter, which reads the
#                                                 Confluent wire format MonitML writes
#   target/connect/lib/                           the Kafka Connect runtime with MirrorMaker 2, for
#                                                 machines without an Apache Kafka distribution
#
# target/plugins is the worker's plugin.path. Maven (the repository's wrapper) does the downloads,
# checking every file against the checksum Maven Central publishes (--strict-checksums); the
# Debezium archive is also checked against the SHA-256 pinned here.
#
# Usage: connectors/fetch-plugins.sh [--plugins-only]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TARGET="$HERE/target"

DEBEZIUM_JDBC_VERSION="3.5.0.Final"
DEBEZIUM_JDBC_SHA256="8547b496548cab71cc0029edd96ddd666e667e2d649fd0770a28b5c3bb9e26dd"

plugins_only=false
case "${1:-}" in
  "") ;;
  --plugins-only) plugins_only=true ;;
  -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "fetch-plugins.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
esac

mvn_quiet() {
  "$ROOT/mvnw" -B -q --strict-checksums "$@"
}

fresh_dir() {
  rm -rf "$1"
  mkdir -p "$1"
}

echo "fetch-plugins.sh: Debezium JDBC sink connector $DEBEZIUM_JDBC_VERSION" >&2
download="$TARGET/download"
fresh_dir "$download"
# dependency:copy takes the archive by its coordinates; the small pom is only the project it runs in.
mvn_quiet -f "$HERE/fetch/connect-runtime.xml" dependency:copy \
  -Dartifact="io.debezium:debezium-connector-jdbc:$DEBEZIUM_JDBC_VERSION:tar.gz:plugin" \
  -DoutputDirectory="$download" -Dmdep.overWriteReleases=true
archive="$download/debezium-connector-jdbc-$DEBEZIUM_JDBC_VERSION-plugin.tar.gz"
echo "$DEBEZIUM_JDBC_SHA256  $archive" | sha256sum --check --quiet
fresh_dir "$TARGET/plugins/debezium-connector-jdbc"
tar -xzf "$archive" -C "$TARGET/plugins/debezium-connector-jdbc" --strip-components=1

echo "fetch-plugins.sh: Apicurio Registry Avro converter (see fetch/apicurio-converter.xml)" >&2
fresh_dir "$TARGET/plugins/apicurio-registry-converter"
mvn_quiet -f "$HERE/fetch/apicurio-converter.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$TARGET/plugins/apicurio-registry-converter"

if [[ "$plugins_only" == false ]]; then
  echo "fetch-plugins.sh: Kafka Connect runtime with MirrorMaker 2 (see fetch/connect-runtime.xml)" >&2
  fresh_dir "$TARGET/connect/lib"
  mvn_quiet -f "$HERE/fetch/connect-runtime.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$TARGET/connect/lib"
fi
rm -rf "$download"

echo "fetch-plugins.sh: plugin.path is $TARGET/plugins" >&2
