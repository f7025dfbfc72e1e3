# MonitML, the Seldon Core operator and kube-prometheus-stack on a Kubernetes cluster you already
# have, against a Kafka and (usually) a schema registry you already have.

module "monitml" {
  source = "../modules/monitml"

  repository_root    = coalesce(var.repository_root, "${path.root}/../..")
  monitml_chart_path = coalesce(var.monitml_chart_path, "${path.root}/../../deploy/helm/monitml")

  namespace            = var.namespace
  monitoring_namespace = var.monitoring_namespace
  create_namespaces    = var.create_namespaces

  monitml_image_repository = var.monitml_image_repository
  monitml_image_tag        = var.monitml_image_tag
  replica_count            = var.replica_count
  topic_partitions         = var.topic_partitions
  replication_factor       = var.replication_factor
  monitml_config           = var.monitml_config

  bootstrap_servers        = var.bootstrap_servers
  kafka_auth               = var.kafka_auth
  kafka_scram_username     = var.kafka_scram_username
  kafka_scram_password     = var.kafka_scram_password
  kafka_settings           = var.kafka_settings
  service_account_role_arn = var.service_account_role_arn
  oidc_provider_arn        = var.oidc_provider_arn
  oidc_issuer_url          = var.oidc_issuer_url
  msk_cluster_arn          = var.msk_cluster_arn

  schema_registry_url       = var.schema_registry_url
  schema_registry_user_info = var.schema_registry_user_info
  install_schema_registry   = var.install_schema_registry

  network_policy                = var.network_policy
  seldon_model_namespaces       = var.seldon_model_namespaces
  seldon_v1_topic               = var.seldon_v1_topic
  seldon_v2_topic_prefix        = var.seldon_v2_topic_prefix
  install_seldon_operator       = var.install_seldon_operator
  install_kube_prometheus_stack = var.install_kube_prometheus_stack
  slack_webhook_url             = var.slack_webhook_url
  slack_channel_critical        = var.slack_channel_critical
  slack_channel_warning         = var.slack_channel_warning
  grafana_url                   = var.grafana_url
}
