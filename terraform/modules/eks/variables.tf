variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the nodes."
  type        = string
  default     = "1.31"
}

variable "subnet_ids" {
  description = "Private subnets of the control plane's network interfaces and of the nodes, one per zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "EKS needs subnets in at least two availability zones."
  }
}

variable "endpoint_public_access" {
  description = "Reach the Kubernetes API from outside the VPC (terraform and kubectl from a laptop need it unless they run inside the VPC), from public_access_cidrs only."
  type        = bool
  default     = true
}

# No default: who may reach the cluster's API is a decision, not a default. EKS itself opens the
# public endpoint to 0.0.0.0/0 when given no ranges, hence the precondition on the cluster.
variable "public_access_cidrs" {
  description = "Address ranges allowed to reach the public API endpoint: your office, VPN or CI runners. At least one with endpoint_public_access; [] with a private endpoint. A /0 range is refused: see public_access_from_anywhere."
  type        = list(string)

  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : can(cidrhost(cidr, 0))])
    error_message = "public_access_cidrs: each entry is an address range such as 203.0.113.0/24."
  }

  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : !endswith(cidr, "/0")])
    error_message = "public_access_cidrs: a /0 range (0.0.0.0/0) opens the Kubernetes API to the whole internet. Name your ranges, or set public_access_from_anywhere = true if that is what you want."
  }
}

variable "public_access_from_anywhere" {
  description = "Open the public API endpoint to 0.0.0.0/0 (its authentication still applies). The explicit opt-in that public_access_cidrs refuses; replaces public_access_cidrs."
  type        = bool
  default     = false
}

variable "network_policy" {
  description = "Install the VPC CNI as a managed add-on with its network policy agent on, so that NetworkPolicies (MonitML's among them) are enforced; the self-managed CNI EKS starts with ignores them."
  type        = bool
  default     = true
}

variable "admin_principal_arns" {
  description = "IAM users or roles given cluster-admin through EKS access entries, besides whoever runs terraform apply."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Instance types of the managed node group, in order of preference."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_capacity_type)
    error_message = "node_capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "node_ami_type" {
  description = "AMI family of the nodes."
  type        = string
  default     = "AL2023_x86_64_STANDARD"
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
  description = "Nodes at creation (later changes by an autoscaler are kept)."
  type        = number
  default     = 3
}

variable "node_disk_size" {
  description = "Root volume of each node, GiB (images, emptyDir volumes)."
  type        = number
  default     = 50
}

variable "cluster_log_types" {
  description = "Control-plane logs sent to CloudWatch."
  type        = list(string)
  default     = ["api", "audit", "authenticator"]
}

variable "log_retention_days" {
  description = "Retention of the control-plane log group."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
