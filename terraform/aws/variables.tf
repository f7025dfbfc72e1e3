# --- AWS and naming -------------------------------------------------------------------------

variable "region" {
  description = "AWS region of everything."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the EKS cluster and prefix of every other resource."
  type        = string
  default     = "monitml"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name: lower-case letters, digits and dashes, starting with a letter, at most 31 characters."
  }
}

variable "tags" {
  description = "Tags added to every AWS resource (besides Project and ManagedBy)."
  type        = map(string)
  default     = {}
}

# --- network --------------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "IPv4 range of the VPC (/16 or larger)."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones (2 or 3: MSK's limit). The MSK broker count must be a multiple of it."
  type        = number
  default     = 3
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per zone: cheaper, less available."
  type        = bool
  default     = false
}

# --- EKS ------------------------------------------------------------------------------------

variable "kubernetes_version" {
  description = "Kubernetes version of the EKS cluster."
  type        = string
  default     = "1.31"
}

variable "cluster_endpoint_public_access" {
  description = "Reach the Kubernetes API from outside the VPC, from cluster_public_access_cidrs only. false: a private endpoint, for terraform and kubectl running inside the VPC (or through a VPN into it)."
  type        = bool
  default     = true
}

# No default: terraform.tfvars must say who may reach the API.
variable "cluster_public_access_cidrs" {
  description = "Address ranges that may reach the Kubernetes API (terraform and kubectl run from there), e.g. [\"203.0.113.0/24\"]; [] with a private endpoint. A /0 range is refused: see cluster_public_access_from_anywhere."
  type        = list(string)

  validation {
    condition     = alltrue([for cidr in var.cluster_public_access_cidrs : can(cidrhost(cidr, 0))])
    error_message = "cluster_public_access_cidrs: each entry is an address range such as 203.0.113.0/24."
  }

  validation {
    condition     = alltrue([for cidr in var.cluster_public_access_cidrs : !endswith(cidr, "/0")])
    error_message = "cluster_public_access_cidrs: a /0 range (0.0.0.0/0) opens the Kubernetes API to the whole internet. Name your ranges, or set cluster_public_access_from_anywhere = true if that is what you want."
  }
}

variable "cluster_public_access_from_anywhere" {
  description = "Open the public API endpoint to 0.0.0.0/0 (its authentication still applies): the explicit opt-in that cluster_public_access_cidrs refuses."
  type        = bool
  default     = false
}

variable "eks_network_policy" {
  description = "Run the VPC CNI as a managed add-on with its network policy agent on, so that MonitML's NetworkPolicy is enforced."
  type        = bool
  default     = true
}

variable "cluster_admin_principal_arns" {
  description = "More IAM users or roles with cluster-admin (the one running terraform has it already)."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Instance types of the node group."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"
}

variable "node_min_size" {
  description = "Fewest nodes."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Most nodes."
  type        = number
  default     = 5
}

variable "node_desired_size" {
  description = "Nodes at creation."
  type        = number
  default     = 3
}

# --- MSK ------------------------------------------------------------------------------------

variable "msk_client_authentication" {
  description = "scram (SASL/SCRAM-SHA-512; works with the in-cluster schema registry) or iam (AWS_MSK_IAM through an IRSA role; MonitML ships the aws-msk-iam-auth library; needs an external schema registry)."
  type        = string
  default     = "scram"
}

variable "msk_kafka_version" {
  description = "Kafka version of the MSK brokers."
  type        = string
  default     = "3.6.0"
}

variable "msk_broker_count" {
  description = "MSK brokers, a multiple of az_count."
  type        = number
  default     = 3
}

variable "msk_instance_type" {
  description = "MSK broker instance type (kafka.t3.small for a trial)."
  type        = string
  default     = "kafka.m7g.large"
}

variable "msk_ebs_volume_size" {
  description = "Storage per broker, GiB."
  type        = number
  default     = 100
}

# --- schema registry ------------------------------------------------------------------------

variable "schema_registry_url" {
  description = "An existing Confluent-compatible schema registry reachable from the cluster; used when install_schema_registry is false."
  type        = string
  default     = ""
}

variable "schema_registry_user_info" {
  description = "user:password of that registry, if it wants basic authentication."
  type        = string
  default     = ""
  sensitive   = true
}

variable "install_schema_registry" {
  description = "Run Karapace in the cluster, on MSK (MSK has no registry of its own). Needs msk_client_authentication = scram."
  type        = bool
  default     = true
}

# --- MonitML --------------------------------------------------------------------------------

variable "repository_root" {
  description = "The MonitML checkout whose deploy/ and grafana/ files are installed; null: the one this configuration lives in."
  type        = string
  default     = null
}

variable "monitml_chart_path" {
  description = "MonitML's Helm chart; null: deploy/helm/monitml of this checkout."
  type        = string
  default     = null
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

variable "monitml_replica_count" {
  description = "MonitML instances (at most monitml_topic_partitions do work)."
  type        = number
  default     = 2
}

variable "monitml_topic_partitions" {
  description = "Partitions of the topics MonitML creates."
  type        = number
  default     = 6
}

variable "monitml_config" {
  description = "More MonitML settings for the chart's config: (camelCase names of the MONITML_* settings), e.g. { window = \"1m\" }."
  type        = map(string)
  default     = {}
}

variable "monitml_api_token" {
  description = "Bearer token of MonitML's /api; empty: generated (output monitml_api_token)."
  type        = string
  default     = ""
  sensitive   = true
}

variable "install_seldon_operator" {
  description = "Install the Seldon Core v1 operator with its request logger pointed at MonitML."
  type        = bool
  default     = true
}

variable "monitml_network_policy" {
  description = "MonitML's NetworkPolicy (enforced: the VPC CNI's network policy agent is on, see eks_network_policy)."
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

# --- alerts ---------------------------------------------------------------------------------

variable "slack_webhook_url" {
  description = "Slack incoming-webhook URL for Alertmanager (give it in the environment as TF_VAR_slack_webhook_url, not in a file)."
  type        = string
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
  description = "Base URL of Grafana as people reach it, for the alerts' dashboard links."
  type        = string
  default     = ""
}
