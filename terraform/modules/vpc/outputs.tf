output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 range of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "Availability zones of the subnets, in subnet order."
  value       = local.azs
}

output "private_subnet_ids" {
  description = "Private subnets, one per zone: EKS nodes and MSK brokers."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "Public subnets, one per zone: NAT gateways and internet-facing load balancers."
  value       = aws_subnet.public[*].id
}

output "nat_public_ips" {
  description = "Public addresses the private subnets reach the internet from."
  value       = aws_eip.nat[*].public_ip
}
