variable "name" {
  description = "Name prefix of every resource of the network."
  type        = string
}

variable "cidr" {
  description = "IPv4 range of the VPC. Private subnets get a /19 each (cidrsubnet(cidr, 3, i)), public ones a /24 at the top of the range."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.cidr)) && can(regex("/([0-9]|1[0-6])$", var.cidr))
    error_message = "cidr must be an IPv4 range of /16 or larger."
  }
}

variable "az_count" {
  description = "Availability zones to spread the subnets over (MSK needs 2 or 3; its broker count must be a multiple of it)."
  type        = number
  default     = 3

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6
    error_message = "az_count must be between 2 and 6."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for every private subnet (cheaper, one zone's outage cuts egress) instead of one per zone."
  type        = bool
  default     = false
}

variable "cluster_name" {
  description = "EKS cluster that will use the subnets: they get the kubernetes.io/cluster/<name> tag and the load-balancer role tags."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
