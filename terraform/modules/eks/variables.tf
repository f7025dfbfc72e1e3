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
  description = "Reach the Kubernetes API from outside the VPC (terraform and kubectl from a laptop need it unless they run inside the VPC)."
  type        = bool
  default     = true
}

variable "public_access_cidrs" {
  description = "Address ranges allowed to reach the public API endpoint. Narrow it to your office or VPN."
  type        = list(string)
  default     = ["0.0.0.0/0"]
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
