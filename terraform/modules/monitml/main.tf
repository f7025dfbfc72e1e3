# MonitML on Kubernetes: its Helm chart wired to Kafka and a schema registry, the Seldon Core
# operator whose request logger posts to it, and kube-prometheus-stack scraping it, evaluating
# its alert rules and routing them to Slack.

locals {
  # MonitML's HTTP port: /metrics, /health, /api and the CloudEvents ingest endpoint.
  http_port    = 8080
  monitml_host = "${var.monitml_release_name}.${var.namespace}.svc.cluster.local"
  monitml_url  = "http://${local.monitml_host}:${local.http_port}"

  scram = var.kafka_auth == "scram"
  iam   = var.kafka_auth == "iam"

  namespaces = var.create_namespaces ? toset(concat(
    [var.namespace],
    var.install_kube_prometheus_stack ? [var.monitoring_namespace] : [],
    var.install_seldon_operator ? [var.seldon_namespace] : [],
  )) : toset([])

  schema_registry_url = var.install_schema_registry ? "http://schema-registry.${var.namespace}.svc.cluster.local:8081" : var.schema_registry_url

  # Kafka client settings per authentication; an empty value means "not set".
  kafka_auth_table = {
    "security.protocol" = {
      plaintext = ""
      tls       = "SSL"
      scram     = "SASL_SSL"
      iam       = "SASL_SSL"
    }
    "sasl.mechanism" = {
      plaintext = ""
      tls       = ""
      scram     = var.kafka_scram_mechanism
      iam       = "AWS_MSK_IAM"
    }
    # aws-msk-iam-auth's login module and callback handler; the credentials come from the IRSA
    # role through the default AWS credential chain. SCRAM's JAAS line holds the password and
    # is in the credentials secret instead.
    "sasl.jaas.config" = {
      plaintext = ""
      tls       = ""
      scram     = ""
      iam       = "software.amazon.msk.auth.iam.IAMLoginModule required;"
    }
    "sasl.client.callback.handler.class" = {
      plaintext = ""
      tls       = ""
      scram     = ""
      iam       = "software.amazon.msk.auth.iam.IAMClientCallbackHandler"
    }
  }
  kafka_auth_settings = {
    for key, by_auth in local.kafka_auth_table : key => by_auth[var.kafka_auth] if by_auth[var.kafka_auth] != ""
  }

  irsa                     = local.create_irsa_role || var.service_account_role_arn != ""
  service_account_role_arn = local.create_irsa_role ? aws_iam_role.monitml[0].arn : var.service_account_role_arn

  # The values of deploy/helm/monitml. config.* are the MONITML_* settings in camelCase, kafka.*
  # become KAFKA_* variables, and the secret holds the variables that carry credentials.
  # Kept in step with the chart: deploy/helm/monitml/ci/terraform-values.yaml is this map with example
  # inputs, rendered and validated against the chart's schema in CI (DeployChecksTest).
  monitml_values = {
    replicas = var.replica_count
    image = {
      for key, value in { repository = var.monitml_image_repository, tag = var.monitml_image_tag } : key => value if value != ""
    }
    config = merge({
      bootstrapServers  = var.bootstrap_servers
      schemaRegistryUrl = local.schema_registry_url
      applicationId     = var.application_id
      topicPartitions   = var.topic_partitions
      replicationFactor = var.replication_factor
      seldonV2Prefix    = var.seldon_v2_topic_prefix
    }, var.monitml_config)
    kafka = merge(local.kafka_auth_settings, var.kafka_settings)
    # The chart reads each credential from a key of an existing Secret (deploy/helm/monitml/values.yaml, secrets.*).
    secrets = {
      for name, key in {
        apiToken               = "MONITML_API_TOKEN"
        kafkaSaslJaasConfig    = "KAFKA_SASL_JAAS_CONFIG"
        schemaRegistryUserInfo = "MONITML_SCHEMA_REGISTRY_USER_INFO"
        } : name => {
        existingSecret = kubernetes_secret_v1.credentials.metadata[0].name
        key            = key
      } if local.credential_wanted[key]
    }
    # Seldon's executors post to the ingest endpoint without a token: only their namespaces, the
    # stack's Prometheus, labelled API clients (the chart's default) and the other instances get in.
    networkPolicy = {
      enabled = var.network_policy
      seldon = length(var.seldon_model_namespaces) == 0 ? [] : [{
        namespaceSelector = {
          matchExpressions = [{ key = "kubernetes.io/metadata.name", operator = "In", values = var.seldon_model_namespaces }]
        }
      }]
      prometheus = [{
        namespaceSelector = { matchLabels = { "kubernetes.io/metadata.name" = var.monitoring_namespace } }
        podSelector       = { matchLabels = { "app.kubernetes.io/name" = "prometheus" } }
      }]
    }
    serviceAccount = {
      create = true
      name   = var.service_account_name
      annotations = {
        for key, value in { "eks.amazonaws.com/role-arn" = local.service_account_role_arn } : key => value if local.irsa
      }
    }
  }
}

resource "kubernetes_namespace_v1" "this" {
  for_each = local.namespaces

  metadata {
    name = each.value
    labels = {
      "app.kubernetes.io/managed-by" = "terraform"
    }
  }
}

resource "helm_release" "monitml" {
  name      = var.monitml_release_name
  chart     = var.monitml_chart_path
  namespace = var.namespace
  values    = concat([yamlencode(local.monitml_values)], var.monitml_values)

  wait    = true
  timeout = 600

  lifecycle {
    precondition {
      condition     = local.schema_registry_url != ""
      error_message = "MonitML needs a Confluent-compatible schema registry: set schema_registry_url or install_schema_registry = true."
    }
    precondition {
      condition     = !local.scram || var.kafka_scram_username != ""
      error_message = "kafka_auth = \"scram\" needs kafka_scram_username and kafka_scram_password."
    }
  }

  depends_on = [
    kubernetes_namespace_v1.this,
    kubernetes_secret_v1.credentials,
    kubernetes_service_v1.schema_registry,
    kubernetes_deployment_v1.schema_registry,
    # The chart may create a ServiceMonitor or PrometheusRule: their CRDs come with the stack.
    helm_release.kube_prometheus_stack,
  ]
}

resource "helm_release" "seldon_core_operator" {
  count = var.install_seldon_operator ? 1 : 0

  name       = "seldon-core"
  repository = "https://storage.googleapis.com/seldon-charts"
  chart      = "seldon-core-operator"
  version    = var.seldon_operator_chart_version
  namespace  = var.seldon_namespace

  values = concat([yamlencode({
    usageMetrics = { enabled = false }
    istio        = { enabled = false }
    ambassador   = { enabled = false }
    executor = {
      # Every SeldonDeployment whose graph has `logger: {mode: all}` and no url of its own posts
      # its requests and responses here, as CloudEvents.
      requestLogger = { defaultEndpoint = "${local.monitml_url}/" }
    }
  })], var.seldon_operator_values)

  depends_on = [kubernetes_namespace_v1.this]
}
