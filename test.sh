#!/usr/bin/env bash
# Runs MonitML's whole test suite: unit tests, TopologyTestDriver tests and the integration tests
# against a real in-process Kafka broker. Installs what the tests need when it is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

apt_updated=false
need_apt() { # need_apt COMMAND PACKAGE...: install PACKAGE(s) with apt-get unless COMMAND exists
  local command="$1"; shift
  command -v "$command" >/dev/null 2>&1 && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: '$command' is missing and there is no apt-get to install $*; install it and retry" >&2
    exit 1
  fi
  local sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  if [[ "$apt_updated" == false ]]; then
    $sudo apt-get update -qq
    apt_updated=true
  fi
  echo "test.sh: installing $* for the tests" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_apt javac openjdk-17-jdk-headless
need_apt promtool prometheus
need_apt amtool prometheus-alertmanager
need_apt node nodejs
need_apt npm npm
need_apt chromium chromium
need_apt yamllint yamllint
need_apt shellcheck shellcheck
need_apt unzip unzip

exec "$ROOT/mvnw" -B -f "$ROOT/pom.xml" verify "$@"
