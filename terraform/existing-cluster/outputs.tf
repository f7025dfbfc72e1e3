output "monitml_url" {
  description = "MonitML inside the cluster."
  value       = module.monitml.monitml_url
}

output "seldon_logger_url" {
  description = "Request-logger endpoint for Seldon deployments."
  value       = module.monitml.ingest_url
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

output "monitml_api_token" {
  description = "Bearer token of MonitML's /api."
  value       = module.monitml.api_token
  sensitive   = true
}

output "grafana_admin_password" {
  description = "Grafana's admin password (null without kube-prometheus-stack)."
  value       = module.monitml.grafana_admin_password
  sensitive   = true
}
