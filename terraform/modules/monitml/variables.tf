# --- where things go ------------------------------------------------------------------------

variable "name_prefix" {
  description = "Prefix of the AWS resources this module creates (the IRSA role)."
  type        = string
  default     = "monitml"
}

variable "namespace" {
  description = "Namespace of MonitML (and of the in-cluster schema registry)."
  type        = string
  default     = "monitml"
}

variable "monitoring_namespace" {
  description = "Namespace of kube-prometheus-stack (Prometheus, Alertmanager, Grafana)."
  type        = string
  default     = "monitoring"
}

variable "seldon_namespace" {
  description = "Namespace of the Seldon Core operator."
  type        = string
  default     = "seldon-system"
}

variable "create_namespaces" {
  description = "Create the namespaces above (false: they exist already)."
  type        = bool
  default     = true
}

variable "repository_root" {
  description = "The MonitML checkout: its deploy/alertmanager, deploy/prometheus/rules and grafana/dashboards are installed as they are."
  type        = string
}

# --- MonitML --------------------------------------------------------------------------------

variable "monitml_chart_path" {
  description = "Path of MonitML's Helm chart (deploy/helm/monitml in the checkout)."
  type        = string
}

variable "monitml_release_name" {
  description = "Helm release name of MonitML; with the chart's naming, also the name of its Service."
  type        = string
  default     = "monitml"
}

variable "monitml_image_repository" {
  description = "Image repository of MonitML; empty: the chart's default."
  type        = string
  default     = ""
}

variable "monitml_image_tag" {
  description = "Image tag of MonitML; empty: the chart's default."
  type        = string
  default     = ""
}

variable "replica_count" {
  description = "MonitML instances. More instances share the input partitions; more than the partitions of the input topics leaves some idle."
  type        = number
  default     = 2
}

variable "application_id" {
  description = "Kafka Streams application id (MONITML_APPLICATION_ID)."
  type        = string
  default     = "monitml"
}

variable "topic_prefix" {
  description = "Prefix of MonitML's own topics (the chart's config.*Topic: monitml.raw, monitml.drift, ...). With kafka_auth = iam the role may create, read and write topics under it, and no others of MonitML's."
  type        = string
  default     = "monitml."

  validation {
    condition     = length(var.topic_prefix) > 0 && !strcontains(var.topic_prefix, "*")
    error_message = "topic_prefix must be a literal prefix such as \"monitml.\": an empty one, or one with *, would grant every topic."
  }
}

variable "topic_partitions" {
  description = "Partitions of the topics MonitML creates at start (MONITML_TOPIC_PARTITIONS): the most instances that can share the work."
  type        = number
  default     = 6
}

variable "replication_factor" {
  description = "Replication factor of MonitML's topics (MONITML_REPLICATION_FACTOR); -1: the brokers' default."
  type        = number
  default     = -1
}

variable "monitml_config" {
  description = "More settings under the chart's config: key (camelCase names of the MONITML_* settings, e.g. window = \"1m\"), merged over the ones this module sets."
  type        = map(string)
  default     = {}
}

variable "monitml_values" {
  description = "More values files (YAML text) for MonitML's chart, applied after the module's."
  type        = list(string)
  default     = []
}

variable "network_policy" {
  description = "Render the chart's NetworkPolicy: only Seldon's namespaces, Prometheus, labelled API clients and the other instances may reach MonitML's HTTP port (the ingest endpoint takes events without a token)."
  type        = bool
  default     = true
}

variable "seldon_model_namespaces" {
  description = "Namespaces of the SeldonDeployments whose request logger posts to MonitML (the executor runs in the model's pods, not in the operator's namespace): the NetworkPolicy admits them. Empty: none."
  type        = list(string)
  default     = ["seldon"]
}

variable "service_account_name" {
  description = "Kubernetes service account of MonitML's pods (the IRSA role trusts exactly this one)."
  type        = string
  default     = "monitml"
}

variable "api_token" {
  description = "Bearer token of MonitML's /api; empty: a random one is generated (output api_token)."
  type        = string
  default     = ""
  sensitive   = true
}

# --- Kafka ----------------------------------------------------------------------------------

variable "bootstrap_servers" {
  description = "Kafka bootstrap servers."
  type        = string
}

variable "kafka_auth" {
  description = "How MonitML (and the in-cluster registry) reach Kafka: plaintext, tls, scram (SASL_SSL with SCRAM) or iam (SASL_SSL with AWS_MSK_IAM)."
  type        = string
  default     = "plaintext"

  validation {
    condition     = contains(["plaintext", "tls", "scram", "iam"], var.kafka_auth)
    error_message = "kafka_auth must be plaintext, tls, scram or iam."
  }
}

variable "kafka_scram_mechanism" {
  description = "SCRAM-SHA-512 (MSK) or SCRAM-SHA-256."
  type        = string
  default     = "SCRAM-SHA-512"
}

variable "kafka_scram_username" {
  description = "SCRAM user (kafka_auth = scram)."
  type        = string
  default     = ""
}

variable "kafka_scram_password" {
  description = "SCRAM password (kafka_auth = scram)."
  type        = string
  default     = ""
  sensitive   = true
}

variable "kafka_settings" {
  description = "More Kafka client or Kafka Streams settings for MonitML (rendered by the chart as KAFKA_* variables), merged over the ones derived from kafka_auth."
  type        = map(string)
  default     = {}
}

# --- IAM authentication to MSK (kafka_auth = iam) --------------------------------------------

variable "service_account_role_arn" {
  description = "IAM role MonitML's service account assumes (IRSA). Empty with kafka_auth = iam: the module creates one from the OIDC provider and MSK cluster below."
  type        = string
  default     = ""
}

variable "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster, for the role the module creates."
  type        = string
  default     = ""
}

variable "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster, for the role the module creates."
  type        = string
  default     = ""
}

variable "msk_cluster_arn" {
  description = "MSK cluster the created role may use."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags of the AWS resources this module creates."
  type        = map(string)
  default     = {}
}

# --- Seldon's topics, read with kafka_auth = iam -------------------------------------------

variable "seldon_v1_topic" {
  description = "Topic of the Seldon Core v1 executor's direct Kafka logger (its LOGGER_KAFKA_TOPIC): the IAM role may describe and read it, nothing more. MonitML reads it once monitml_config sets seldonV1Topic to it. Empty: no access."
  type        = string
  default     = "seldon"

  validation {
    condition     = !strcontains(var.seldon_v1_topic, "*")
    error_message = "seldon_v1_topic is a topic's name, not a pattern."
  }
}

variable "seldon_v2_topic_prefix" {
  description = "Seldon Core v2's topic prefix (MonitML's config.seldonV2Prefix): MonitML reads <prefix>.<namespace>.model.<model>.inputs and .outputs, and the IAM role may describe and read those only. Empty: Seldon v2 off."
  type        = string
  default     = "seldon"

  validation {
    condition     = !strcontains(var.seldon_v2_topic_prefix, "*")
    error_message = "seldon_v2_topic_prefix is a literal prefix, not a pattern."
  }
}

# --- schema registry ------------------------------------------------------------------------

variable "schema_registry_url" {
  description = "Confluent-compatible schema registry MonitML uses. Ignored when install_schema_registry is true."
  type        = string
  default     = ""
}

variable "schema_registry_user_info" {
  description = "user:password of the schema registry's basic authentication, if it has any."
  type        = string
  default     = ""
  sensitive   = true
}

variable "install_schema_registry" {
  description = "Run Karapace (a Confluent-compatible registry keeping its schemas in a Kafka topic) in MonitML's namespace, on the same Kafka. Not with kafka_auth = iam."
  type        = bool
  default     = false
}

variable "schema_registry_image" {
  description = "Image of the in-cluster registry."
  type        = string
  default     = "ghcr.io/aiven-open/karapace:5.0.3"
}

variable "schema_registry_replication_factor" {
  description = "Replication factor of the registry's _schemas topic."
  type        = number
  default     = 3
}

# --- Seldon Core ----------------------------------------------------------------------------

variable "install_seldon_operator" {
  description = "Install the Seldon Core v1 operator, its request logger pointed at MonitML."
  type        = bool
  default     = true
}

variable "seldon_operator_chart_version" {
  description = "Version of the seldon-core-operator chart."
  type        = string
  default     = "1.17.1"
}

variable "seldon_operator_values" {
  description = "More values files (YAML text) for the Seldon operator chart."
  type        = list(string)
  default     = []
}

# --- monitoring and alerting ----------------------------------------------------------------

variable "install_kube_prometheus_stack" {
  description = "Install kube-prometheus-stack with MonitML's scrape job, alert rules, Slack routing and dashboards."
  type        = bool
  default     = true
}

variable "kube_prometheus_stack_chart_version" {
  description = "Version of the kube-prometheus-stack chart."
  type        = string
  default     = "69.4.1"
}

variable "kube_prometheus_default_rules" {
  description = "Keep kube-prometheus-stack's own Kubernetes alert rules. They then go to the same Slack channels as MonitML's."
  type        = bool
  default     = false
}

variable "prometheus_retention" {
  description = "How long Prometheus keeps samples."
  type        = string
  default     = "15d"
}

variable "kube_prometheus_stack_values" {
  description = "More values files (YAML text) for kube-prometheus-stack."
  type        = list(string)
  default     = []
}

variable "slack_webhook_url" {
  description = "Slack incoming-webhook URL Alertmanager posts to; kept in a Kubernetes secret, never in the configuration."
  type        = string
  default     = ""
  sensitive   = true
}

variable "slack_channel_critical" {
  description = "Channel of critical alerts."
  type        = string
  default     = "#monitml-critical"
}

variable "slack_channel_warning" {
  description = "Channel of warnings."
  type        = string
  default     = "#monitml"
}

variable "grafana_url" {
  description = "Base URL people open Grafana at; the alerts' dashboard links use it. Empty: the rules' placeholder https://grafana.example stays."
  type        = string
  default     = ""
}
