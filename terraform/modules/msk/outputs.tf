output "cluster_arn" {
  description = "ARN of the MSK cluster (IAM policies of IAM-authenticated clients derive their topic and group ARNs from it)."
  value       = aws_msk_cluster.this.arn
}

output "cluster_name" {
  description = "Name of the MSK cluster."
  value       = aws_msk_cluster.this.cluster_name
}

output "client_authentication" {
  description = "\"scram\" or \"iam\", as chosen."
  value       = var.client_authentication
}

output "bootstrap_brokers" {
  description = "Bootstrap servers of the listener of the chosen authentication (TLS): port 9096 for SCRAM, 9098 for IAM."
  value       = local.scram ? aws_msk_cluster.this.bootstrap_brokers_sasl_scram : aws_msk_cluster.this.bootstrap_brokers_sasl_iam

  # The SCRAM listener knows the user only once the secret is associated with the cluster.
  depends_on = [aws_msk_scram_secret_association.this]
}

output "security_group_id" {
  description = "Security group of the brokers."
  value       = aws_security_group.msk.id
}

output "scram_username" {
  description = "SCRAM user (null with IAM authentication)."
  value       = local.scram ? var.scram_username : null
}

output "scram_password" {
  description = "SCRAM password (null with IAM authentication)."
  value       = local.scram ? random_password.scram[0].result : null
  sensitive   = true
}

output "scram_secret_arn" {
  description = "Secrets Manager secret holding the SCRAM credentials (null with IAM authentication)."
  value       = local.scram ? aws_secretsmanager_secret.scram[0].arn : null
}

output "replication_factor" {
  description = "Default replication factor of the brokers' topics."
  value       = local.replication
}
