# Credentials as Kubernetes secrets: MonitML's (its environment) and Alertmanager's Slack webhook.

resource "random_password" "api_token" {
  count = nonsensitive(var.api_token == "") ? 1 : 0

  length  = 40
  special = false
}

locals {
  api_token = nonsensitive(var.api_token == "") ? random_password.api_token[0].result : var.api_token

  scram_jaas_config = local.scram ? "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"${var.kafka_scram_username}\" password=\"${var.kafka_scram_password}\";" : ""

  # Environment variables of MonitML's pods, each only where it applies (decided on known,
  # non-secret conditions, so that the secret's keys are known at plan time).
  credential_wanted = {
    MONITML_API_TOKEN                 = true
    KAFKA_SASL_JAAS_CONFIG            = local.scram
    MONITML_SCHEMA_REGISTRY_USER_INFO = var.install_schema_registry || nonsensitive(var.schema_registry_user_info != "")
  }
  credentials = {
    for key, value in {
      MONITML_API_TOKEN                 = local.api_token
      KAFKA_SASL_JAAS_CONFIG            = local.scram_jaas_config
      MONITML_SCHEMA_REGISTRY_USER_INFO = local.schema_registry_user_info
    } : key => value if local.credential_wanted[key]
  }

  # The in-cluster registry's generated credentials win over schema_registry_user_info, which is
  # for a registry of your own.
  schema_registry_user_info = var.install_schema_registry ? "${local.registry_username}:${random_password.schema_registry[0].result}" : var.schema_registry_user_info

  slack_secret_name = "monitml-slack"
}

resource "kubernetes_secret_v1" "credentials" {
  metadata {
    name      = "${var.monitml_release_name}-credentials"
    namespace = var.namespace
  }

  data = local.credentials

  depends_on = [kubernetes_namespace_v1.this]
}

# Mounted by Alertmanager at /etc/alertmanager/secrets/monitml-slack/ (alertmanagerSpec.secrets).
resource "kubernetes_secret_v1" "slack" {
  count = var.install_kube_prometheus_stack ? 1 : 0

  metadata {
    name      = local.slack_secret_name
    namespace = var.monitoring_namespace
  }

  data = {
    "slack-webhook-url" = var.slack_webhook_url
  }

  depends_on = [kubernetes_namespace_v1.this]
}
