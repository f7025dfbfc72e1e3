#!/usr/bin/env bash
# Runs Debian's Prometheus and Alertmanager, with the repository's rules and routing, against a
# running `./monitml demo` (or `run`) on localhost:8080, for a person to watch:
#   Prometheus   http://127.0.0.1:9090/alerts
#   Alertmanager http://127.0.0.1:9093
# Alerts go to Slack when SLACK_WEBHOOK_URL is set (an incoming-webhook URL of your workspace),
# else to a webhook that only logs. Ctrl-C stops both. Needs: apt-get install prometheus prometheus-alertmanager
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="${MONITML_METRICS_TARGET:-127.0.0.1:8080}"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

for tool in prometheus prometheus-alertmanager; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y prometheus prometheus-alertmanager" >&2; exit 1; }
done

# The secret the repository's Alertmanager configuration reads, kept in this run's directory.
printf '%s' "${SLACK_WEBHOOK_URL:-http://127.0.0.1:9/nowhere}" > "$WORK/slack-webhook-url"
sed "s|/etc/alertmanager/secrets/slack-webhook-url|$WORK/slack-webhook-url|" \
  "$ROOT/deploy/alertmanager/alertmanager.yml" > "$WORK/alertmanager.yml"
cp -r "$ROOT/deploy/alertmanager/templates" "$WORK/templates"

cat > "$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $ROOT/deploy/prometheus/rules/monitml.rules.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:9093']
scrape_configs:
  - job_name: monitml
    static_configs:
      - targets: ['$APP']
YAML

prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am" \
  --web.listen-address=127.0.0.1:9093 --cluster.listen-address= &
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
  --web.listen-address=127.0.0.1:9090 &
echo "Prometheus http://127.0.0.1:9090/alerts, Alertmanager http://127.0.0.1:9093, scraping $APP; Ctrl-C stops." >&2
wait
