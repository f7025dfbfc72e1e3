# MonitML on AWS from an empty account: a VPC, an EKS cluster, an Amazon MSK cluster, and in the
# cluster the Seldon Core operator, kube-prometheus-stack and MonitML wired to MSK.

locals {
  cluster_name    = var.name
  repository_root = coalesce(var.repository_root, "${path.root}/../..")
  chart_path      = coalesce(var.monitml_chart_path, "${path.root}/../../deploy/helm/monitml")
  tags = merge({
    Project   = "monitml"
    ManagedBy = "terraform"
  }, var.tags)
}

module "vpc" {
  source = "../modules/vpc"

  name               = var.name
  cidr               = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
  cluster_name       = local.cluster_name
}

module "eks" {
  source = "../modules/eks"

  cluster_name                = local.cluster_name
  kubernetes_version          = var.kubernetes_version
  subnet_ids                  = module.vpc.private_subnet_ids
  endpoint_public_access      = var.cluster_endpoint_public_access
  public_access_cidrs         = var.cluster_public_access_cidrs
  public_access_from_anywhere = var.cluster_public_access_from_anywhere
  network_policy              = var.eks_network_policy
  admin_principal_arns        = var.cluster_admin_principal_arns
  node_instance_types         = var.node_instance_types
  node_capacity_type          = var.node_capacity_type
  node_min_size               = var.node_min_size
  node_max_size               = var.node_max_size
  node_desired_size           = var.node_desired_size
}

module "msk" {
  source = "../modules/msk"

  name                  = "${var.name}-kafka"
  vpc_id                = module.vpc.vpc_id
  subnet_ids            = module.vpc.private_subnet_ids
  client_authentication = var.msk_client_authentication
  kafka_version         = var.msk_kafka_version
  broker_count          = var.msk_broker_count
  instance_type         = var.msk_instance_type
  ebs_volume_size       = var.msk_ebs_volume_size

  client_security_group_ids = {
    eks_nodes = module.eks.node_security_group_id
  }
}

# EKS clusters of recent versions have no default storage class; MonitML's state stores and
# Prometheus want one.
resource "kubernetes_storage_class_v1" "gp3" {
  metadata {
    name = "gp3"
    annotations = {
      "storageclass.kubernetes.io/is-default-class" = "true"
    }
  }

  storage_provisioner    = "ebs.csi.aws.com"
  reclaim_policy         = "Delete"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true

  parameters = {
    type      = "gp3"
    encrypted = "true"
  }

  depends_on = [module.eks]
}

module "monitml" {
  source = "../modules/monitml"

  name_prefix        = var.name
  repository_root    = local.repository_root
  monitml_chart_path = local.chart_path

  monitml_image_repository = var.monitml_image_repository
  monitml_image_tag        = var.monitml_image_tag
  replica_count            = var.monitml_replica_count
  topic_partitions         = var.monitml_topic_partitions
  replication_factor       = module.msk.replication_factor
  monitml_config           = var.monitml_config
  api_token                = var.monitml_api_token

  bootstrap_servers    = module.msk.bootstrap_brokers
  kafka_auth           = var.msk_client_authentication
  kafka_scram_username = var.msk_client_authentication == "scram" ? module.msk.scram_username : ""
  kafka_scram_password = var.msk_client_authentication == "scram" ? module.msk.scram_password : ""
  oidc_provider_arn    = module.eks.oidc_provider_arn
  oidc_issuer_url      = module.eks.oidc_issuer_url
  msk_cluster_arn      = module.msk.cluster_arn

  schema_registry_url                = var.schema_registry_url
  schema_registry_user_info          = var.schema_registry_user_info
  install_schema_registry            = var.install_schema_registry
  schema_registry_replication_factor = module.msk.replication_factor

  network_policy                = var.monitml_network_policy
  seldon_model_namespaces       = var.seldon_model_namespaces
  seldon_v1_topic               = var.seldon_v1_topic
  seldon_v2_topic_prefix        = var.seldon_v2_topic_prefix
  install_seldon_operator       = var.install_seldon_operator
  install_kube_prometheus_stack = true
  slack_webhook_url             = var.slack_webhook_url
  slack_channel_critical        = var.slack_channel_critical
  slack_channel_warning         = var.slack_channel_warning
  grafana_url                   = var.grafana_url

  depends_on = [kubernetes_storage_class_v1.gp3, module.eks]
}
