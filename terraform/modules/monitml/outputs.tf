output "namespace" {
  description = "Namespace of MonitML."
  value       = helm_release.monitml.namespace
}

output "monitml_url" {
  description = "MonitML's HTTP port inside the cluster (/metrics, /health, /api/v1)."
  value       = local.monitml_url
}

output "ingest_url" {
  description = "Where Seldon's request logger posts (the operator's default logger endpoint, or a graph's logger.url)."
  value       = "${local.monitml_url}/"
}

output "schema_registry_url" {
  description = "Schema registry MonitML uses."
  value       = local.schema_registry_url
}

output "schema_registry_user_info" {
  description = "USER:PASSWORD of the schema registry's basic authentication: the in-cluster registry's generated credentials, or schema_registry_user_info."
  value       = local.schema_registry_user_info
  sensitive   = true
}

output "service_account_role_arn" {
  description = "IAM role of MonitML's service account (empty unless IAM authentication)."
  value       = local.service_account_role_arn
}

output "api_token" {
  description = "Bearer token of MonitML's /api."
  value       = local.api_token
  sensitive   = true
}

output "monitoring_namespace" {
  description = "Namespace of Prometheus, Alertmanager and Grafana."
  value       = var.monitoring_namespace
}

output "grafana_admin_password" {
  description = "Password of Grafana's admin user (null without kube-prometheus-stack)."
  value       = var.install_kube_prometheus_stack ? random_password.grafana_admin[0].result : null
  sensitive   = true
}
