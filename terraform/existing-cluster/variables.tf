variable "kubeconfig_path" {
  description = "kubeconfig of the cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "Context of the kubeconfig to use; null: its current context."
  type        = string
  default     = null
}

variable "aws_region" {
  description = "AWS region, only for kafka_auth = iam (the IRSA role)."
  type        = string
  default     = "us-east-1"
}

variable "repository_root" {
  description = "The MonitML checkout whose deploy/ and grafana/ files are installed; null: this one."
  type        = string
  default     = null
}

variable "monitml_chart_path" {
  description = "MonitML's Helm chart; null: deploy/helm/monitml of this checkout."
  type        = string
  default     = null
}

variable "namespace" {
  description = "Namespace of MonitML."
  type        = string
  default     = "monitml"
}

variable "monitoring_namespace" {
  description = "Namespace of kube-prometheus-stack."
  type        = string
  default     = "monitoring"
}

variable "create_namespaces" {
  description = "Create the namespaces (false: they exist)."
  type        = bool
  default     = true
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
  description = "MonitML instances."
  type        = number
  default     = 2
}

variable "topic_partitions" {
  description = "Partitions of the topics MonitML creates."
  type        = number
  default     = 6
}

variable "replication_factor" {
  description = "Replication factor of MonitML's topics; -1: the brokers' default."
  type        = number
  default     = -1
}

variable "monitml_config" {
  description = "More MonitML settings for the chart's config:, e.g. { window = \"1m\" }."
  type        = map(string)
  default     = {}
}

variable "bootstrap_servers" {
  description = "Bootstrap servers of your Kafka, as seen from the cluster."
  type        = string
}

variable "kafka_auth" {
  description = "plaintext, tls, scram or iam (MSK)."
  type        = string
  default     = "plaintext"
}

variable "kafka_scram_username" {
  description = "SCRAM user (kafka_auth = scram)."
  type        = string
  default     = ""
}

variable "kafka_scram_password" {
  description = "SCRAM password (kafka_auth = scram); give it as TF_VAR_kafka_scram_password."
  type        = string
  default     = ""
  sensitive   = true
}

variable "kafka_settings" {
  description = "More Kafka client settings (e.g. ssl.truststore.location), rendered as KAFKA_* variables."
  type        = map(string)
  default     = {}
}

variable "service_account_role_arn" {
  description = "With kafka_auth = iam: an IAM role for MonitML's service account (IRSA) with MSK data-plane permissions."
  type        = string
  default     = ""

  validation {
    condition     = var.service_account_role_arn == "" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.service_account_role_arn))
    error_message = "service_account_role_arn must be an IAM role ARN."
  }
}

variable "oidc_provider_arn" {
  description = "With kafka_auth = iam and no service_account_role_arn: the cluster's IAM OIDC provider, so that the module creates the IRSA role."
  type        = string
  default     = ""
}

variable "oidc_issuer_url" {
  description = "With kafka_auth = iam and no service_account_role_arn: the cluster's OIDC issuer URL."
  type        = string
  default     = ""
}

variable "msk_cluster_arn" {
  description = "With kafka_auth = iam and no service_account_role_arn: the MSK cluster the created role may use."
  type        = string
  default     = ""
}

variable "schema_registry_url" {
  description = "Your Confluent-compatible schema registry."
  type        = string
  default     = ""
}

variable "schema_registry_user_info" {
  description = "user:password of the registry, if it wants basic authentication."
  type        = string
  default     = ""
  sensitive   = true
}

variable "install_schema_registry" {
  description = "Run Karapace in the cluster on your Kafka instead."
  type        = bool
  default     = false
}

variable "install_seldon_operator" {
  description = "Install the Seldon Core v1 operator (false if it is there already; then point its logger at MonitML yourself)."
  type        = bool
  default     = true
}

variable "network_policy" {
  description = "MonitML's NetworkPolicy: only Seldon's namespaces, Prometheus, labelled API clients and the other instances reach its HTTP port. Needs a network plugin that enforces NetworkPolicies."
  type        = bool
  default     = true
}
variable "seldon_model_namespaces" {
  description = "Namespaces of the SeldonDeployments whose request logger posts to MonitML: MonitML's NetworkPolicy admits them."
  type        = list(string)
  default     = ["seldon"]
}

variable "seldon_v1_topic" {
  description = "Seldon v1 executor's Kafka logger topic, which MonitML's IAM role may read (kafka_auth = iam); MonitML reads it with monitml_config = { seldonV1Topic = ... }."
  type        = string
  default     = "seldon"
}

variable "seldon_v2_topic_prefix" {
  description = "Seldon Core v2's topic prefix: MonitML reads <prefix>.<namespace>.model.<model>.inputs and .outputs (and its IAM role may read only those). Empty: off."
  type        = string
  default     = "seldon"
}

variable "install_kube_prometheus_stack" {
  description = "Install kube-prometheus-stack (false if you have Prometheus; load deploy/prometheus and deploy/alertmanager into it yourself)."
  type        = bool
  default     = true
}

variable "slack_webhook_url" {
  description = "Slack incoming-webhook URL for Alertmanager; give it as TF_VAR_slack_webhook_url."
  type        = string
  default     = ""
  sensitive   = true
}

variable "slack_channel_critical" {
  description = "Slack channel of critical alerts."
  type        = string
  default     = "#monitml-critical"
}

variable "slack_channel_warning" {
  description = "Slack channel of warnings."
  type        = string
  default     = "#monitml"
}

variable "grafana_url" {
  description = "Base URL of Grafana, for the alerts' dashboard links."
  type        = string
  default     = ""
}
