#!/usr/bin/env bash
# Prints a values file for the kube-prometheus-stack chart that carries the repository's
# Alertmanager configuration, deploy/alertmanager/alertmanager.yml, as alertmanager.config and its
# templates, deploy/alertmanager/templates/*.tmpl, as alertmanager.templateFiles. The files are
# the one source: nothing is copied into the repository, the values are made at install time:
#
#   helm upgrade --install kube-prometheus-stack prometheus-community/kube-prometheus-stack \
#     -n monitoring --create-namespace -f deploy/kube-prometheus-stack/values.yaml \
#     -f <(deploy/kube-prometheus-stack/alertmanager-values.sh)
#
# One change is made on the way: the chart mounts template files next to the configuration, in
# /etc/alertmanager/config/, so the `templates/*.tmpl` glob (relative to the file's directory)
# becomes `/etc/alertmanager/config/*.tmpl`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONFIG="$ROOT/deploy/alertmanager/alertmanager.yml"
TEMPLATES="$ROOT/deploy/alertmanager/templates"
RELATIVE_GLOB='  - templates/*.tmpl'
MOUNTED_GLOB='  - /etc/alertmanager/config/*.tmpl'

if ! grep -qxF -- "$RELATIVE_GLOB" "$CONFIG"; then
  echo "alertmanager-values.sh: $CONFIG no longer lists its templates as '${RELATIVE_GLOB# *- }'; update this script" >&2
  exit 1
fi

echo "# Made by deploy/kube-prometheus-stack/alertmanager-values.sh from deploy/alertmanager/; do not edit."
echo "alertmanager:"
echo "  config:"
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ "$line" == "$RELATIVE_GLOB" ]] && line="$MOUNTED_GLOB"
  if [[ -z "$line" ]]; then echo; else echo "    $line"; fi
done < "$CONFIG"
echo "  templateFiles:"
found=false
for template in "$TEMPLATES"/*.tmpl; do
  [[ -e "$template" ]] || continue
  found=true
  # A block scalar with an explicit indentation (2 more than the key), whatever the file's
  # first line looks like.
  echo "    $(basename "$template"): |2"
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ -z "$line" ]]; then echo; else echo "      $line"; fi
  done < "$template"
done
if [[ "$found" == false ]]; then
  echo "alertmanager-values.sh: no template in $TEMPLATES" >&2
  exit 1
fi
