output "region" {
  description = "AWS region."
  value       = var.region
}

output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "kubeconfig_command" {
  description = "Adds the cluster to ~/.kube/config."
  value       = "aws eks update-kubeconfig --region ${var.region} --name ${module.eks.cluster_name}"
}

output "msk_bootstrap_brokers" {
  description = "Bootstrap servers of MSK for the chosen authentication (reachable from inside the VPC only)."
  value       = module.msk.bootstrap_brokers
}

output "msk_client_authentication" {
  description = "scram or iam."
  value       = module.msk.client_authentication
}

output "msk_scram_secret_arn" {
  description = "Secrets Manager secret with MonitML's SCRAM user and password (null with IAM)."
  value       = module.msk.scram_secret_arn
}

output "schema_registry_url" {
  description = "Schema registry MonitML uses."
  value       = module.monitml.schema_registry_url
}

output "schema_registry_user_info" {
  description = "USER:PASSWORD of the schema registry (MONITML_SCHEMA_REGISTRY_USER_INFO, e.g. for monitml baseline): terraform output -raw schema_registry_user_info."
  value       = module.monitml.schema_registry_user_info
  sensitive   = true
}

output "monitml_url" {
  description = "MonitML inside the cluster."
  value       = module.monitml.monitml_url
}

output "seldon_logger_url" {
  description = "Request-logger endpoint of Seldon deployments (the operator's default already)."
  value       = module.monitml.ingest_url
}

output "monitml_service_account_role_arn" {
  description = "IAM role of MonitML's pods (IAM authentication only)."
  value       = module.monitml.service_account_role_arn
}

output "monitml_api_token" {
  description = "Bearer token of MonitML's /api: terraform output -raw monitml_api_token."
  value       = module.monitml.api_token
  sensitive   = true
}

output "grafana_admin_password" {
  description = "Grafana's admin password: terraform output -raw grafana_admin_password."
  value       = module.monitml.grafana_admin_password
  sensitive   = true
}

output "port_forward_commands" {
  description = "Reach MonitML, Grafana and Alertmanager from your machine."
  value = {
    monitml      = "kubectl -n ${module.monitml.namespace} port-forward svc/monitml 8080:8080"
    grafana      = "kubectl -n ${module.monitml.monitoring_namespace} port-forward svc/kube-prometheus-stack-grafana 3000:80"
    alertmanager = "kubectl -n ${module.monitml.monitoring_namespace} port-forward svc/kube-prometheus-stack-alertmanager 9093:9093"
    prometheus   = "kubectl -n ${module.monitml.monitoring_namespace} port-forward svc/kube-prometheus-stack-prometheus 9090:9090"
  }
}
