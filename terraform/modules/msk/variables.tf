variable "name" {
  description = "Name of the MSK cluster; prefix of its configuration, security group, secret and log group."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the brokers."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the brokers, one per zone (2 or 3 zones)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(var.subnet_ids) <= 3
    error_message = "MSK spreads its brokers over 2 or 3 subnets in different zones."
  }
}

variable "client_security_group_ids" {
  description = "Security groups whose members may connect to the brokers, keyed by a name of your choice (the keys must be known at plan time), e.g. { eks_nodes = <node security group> }."
  type        = map(string)
  default     = {}
}

variable "client_authentication" {
  description = "How clients authenticate: \"scram\" (SASL/SCRAM-SHA-512, credentials in Secrets Manager, port 9096) or \"iam\" (AWS_MSK_IAM, IAM policies, port 9098)."
  type        = string
  default     = "scram"

  validation {
    condition     = contains(["scram", "iam"], var.client_authentication)
    error_message = "client_authentication must be \"scram\" or \"iam\"."
  }
}

variable "scram_username" {
  description = "User of the SCRAM secret (client_authentication = \"scram\")."
  type        = string
  default     = "monitml"
}

variable "kafka_version" {
  description = "Apache Kafka version of the brokers (one MSK supports)."
  type        = string
  default     = "3.6.0"
}

variable "broker_count" {
  description = "Brokers, a multiple of the number of subnets."
  type        = number
  default     = 3
}

variable "instance_type" {
  description = "Broker instance type. kafka.t3.small is the cheapest, for trials; kafka.m7g.large or larger for real traffic."
  type        = string
  default     = "kafka.m7g.large"
}

variable "ebs_volume_size" {
  description = "Storage per broker, GiB."
  type        = number
  default     = 100
}

variable "server_properties" {
  description = "Broker settings added to (or overriding) the ones this module derives from the broker count."
  type        = map(string)
  default     = {}
}

variable "enhanced_monitoring" {
  description = "CloudWatch metric level: DEFAULT, PER_BROKER, PER_TOPIC_PER_BROKER or PER_TOPIC_PER_PARTITION."
  type        = string
  default     = "DEFAULT"
}

variable "log_retention_days" {
  description = "Retention of the broker log group."
  type        = number
  default     = 14
}

variable "secret_recovery_window_days" {
  description = "Days a deleted SCRAM secret can still be restored (0 deletes it at once, e.g. for throw-away environments)."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
