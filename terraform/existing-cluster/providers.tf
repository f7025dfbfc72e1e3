provider "kubernetes" {
  config_path    = var.kubeconfig_path
  config_context = var.kube_context
}

provider "helm" {
  kubernetes {
    config_path    = var.kubeconfig_path
    config_context = var.kube_context
  }
}

# Only used when MonitML authenticates to MSK with IAM and the module creates its IRSA role;
# otherwise it needs no AWS credentials at all.
provider "aws" {
  region                      = var.aws_region
  skip_credentials_validation = var.kafka_auth != "iam"
  skip_requesting_account_id  = var.kafka_auth != "iam"
  skip_metadata_api_check     = var.kafka_auth != "iam"
}
