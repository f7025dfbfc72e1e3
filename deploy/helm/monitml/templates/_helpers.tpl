{{/* The chart's name, or nameOverride. */}}
{{- define "monitml.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The full name of the release's objects: the release name, with the chart's name when it is not in it. */}}
{{- define "monitml.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The headless Service that names the pods. */}}
{{- define "monitml.headlessName" -}}
{{- printf "%s-headless" (include "monitml.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "monitml.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "monitml.selectorLabels" -}}
app.kubernetes.io/name: {{ include "monitml.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "monitml.labels" -}}
helm.sh/chart: {{ include "monitml.chart" . }}
{{ include "monitml.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: monitml
{{- end }}

{{- define "monitml.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "monitml.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
A value as an environment variable's text. Helm reads every number in the values as a float, which
toString would print as 1.048576e+06: whole numbers are printed as integers.
*/}}
{{- define "monitml.envValue" -}}
{{- $v := . }}
{{- if and (kindIs "float64" $v) (eq $v (floor $v)) }}
{{- printf "%d" (int64 $v) }}
{{- else }}
{{- toString $v }}
{{- end }}
{{- end }}

{{/* The chart's own Secret holds a credential given in the values. */}}
{{- define "monitml.ownSecretNeeded" -}}
{{- if or .Values.config.schemaRegistryUserInfo .Values.secrets.kafkaSaslJaasConfig.value .Values.secrets.apiToken.value }}true{{ end }}
{{- end }}

{{/* The API token is on: given in the values or in an existing Secret. */}}
{{- define "monitml.apiTokenEnabled" -}}
{{- if or .Values.secrets.apiToken.value .Values.secrets.apiToken.existingSecret }}true{{ end }}
{{- end }}

{{- define "monitml.apiTokenDir" -}}/etc/monitml/api-token{{- end }}
{{- define "monitml.modelsDir" -}}/etc/monitml/models{{- end }}

{{/*
Checks of the values that the schema cannot express; each fails the render with the reason.
*/}}
{{- define "monitml.validate" -}}
{{- $c := .Values.config }}
{{- if and (not $c.bootstrapServers) (gt (int .Values.replicas) 1) }}
{{- fail "config.bootstrapServers is empty, so each pod would run its own embedded broker: set config.bootstrapServers (and config.schemaRegistryUrl) to run more than one replica" }}
{{- end }}
{{- if and $c.bootstrapServers (not $c.schemaRegistryUrl) }}
{{- fail "config.schemaRegistryUrl is required with config.bootstrapServers" }}
{{- end }}
{{- if and $c.schemaRegistryUserInfo .Values.secrets.schemaRegistryUserInfo.existingSecret }}
{{- fail "config.schemaRegistryUserInfo and secrets.schemaRegistryUserInfo.existingSecret are both set: choose one" }}
{{- end }}
{{- if and .Values.secrets.kafkaSaslJaasConfig.value .Values.secrets.kafkaSaslJaasConfig.existingSecret }}
{{- fail "secrets.kafkaSaslJaasConfig.value and .existingSecret are both set: choose one" }}
{{- end }}
{{- if and .Values.secrets.apiToken.value .Values.secrets.apiToken.existingSecret }}
{{- fail "secrets.apiToken.value and .existingSecret are both set: choose one" }}
{{- end }}
{{- if and (include "monitml.apiTokenEnabled" .) $c.apiTokenFile }}
{{- fail "config.apiTokenFile is set by the chart when secrets.apiToken is on: leave it empty" }}
{{- end }}
{{- if and .Values.models $c.modelsFile }}
{{- fail "config.modelsFile is set by the chart when models is given: leave it empty" }}
{{- end }}
{{- with .Values.networkPolicy }}
{{- if and .enabled .egress.enabled }}
{{- if not .egress.dns }}
{{- fail "networkPolicy.egress.dns is empty: an egress rule with no peers would allow every destination; name the DNS servers' pods" }}
{{- end }}
{{- if and $c.bootstrapServers (not .egress.rules) }}
{{- fail "networkPolicy.egress.enabled without networkPolicy.egress.rules: the pods could not reach Kafka (config.bootstrapServers) or the schema registry; add rules for them" }}
{{- end }}
{{- end }}
{{- end }}
{{- range $key, $_ := .Values.kafka }}
{{- if not (regexMatch "^[a-z0-9]+(\\.[a-z0-9]+)*$" $key) }}
{{- fail (printf "kafka.%s: a Kafka setting's name holds only lower-case letters, digits and dots (it becomes a KAFKA_* variable)" $key) }}
{{- end }}
{{- if and (eq $key "sasl.jaas.config") (or $.Values.secrets.kafkaSaslJaasConfig.value $.Values.secrets.kafkaSaslJaasConfig.existingSecret) }}
{{- fail "kafka.sasl.jaas.config and secrets.kafkaSaslJaasConfig are both set: keep the credential in secrets.kafkaSaslJaasConfig" }}
{{- end }}
{{- if and (eq $key "group.instance.id") $.Values.staticMembership }}
{{- fail "kafka.group.instance.id and staticMembership are both set: staticMembership sets it to the pod's name" }}
{{- end }}
{{- end }}
{{- end }}
