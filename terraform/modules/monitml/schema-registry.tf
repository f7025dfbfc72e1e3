# Amazon MSK has no schema registry, and AWS Glue's is not Confluent-compatible. With
# install_schema_registry, Karapace (Confluent Schema Registry's REST API, schemas kept in the
# _schemas topic of the same Kafka) runs next to MonitML. One replica: it elects itself primary.
#
# It requires HTTP basic authentication: anyone who can register or delete schemas can make
# MonitML's records unreadable. The one user, MonitML's, has a generated password that reaches
# MonitML as MONITML_SCHEMA_REGISTRY_USER_INFO (secrets.tf) and Karapace through its users file,
# written at each start by an init container that hashes the password with Karapace's own
# function (the file holds a salted PBKDF2 hash, which Terraform cannot compute). /_health stays
# open, for the probes.

locals {
  registry_labels = {
    "app.kubernetes.io/name"       = "schema-registry"
    "app.kubernetes.io/instance"   = "${var.monitml_release_name}-schema-registry"
    "app.kubernetes.io/managed-by" = "terraform"
  }

  registry_security_protocol = {
    plaintext = "PLAINTEXT"
    tls       = "SSL"
    scram     = "SASL_SSL"
    iam       = "SASL_SSL"
  }[var.kafka_auth]

  # Karapace reads its settings from KARAPACE_<KEY> variables. The SASL ones only with SCRAM (the
  # filter looks at the names, not the values, so that the map is known at plan time).
  registry_env = {
    for key, value in {
      KARAPACE_KARAPACE_REGISTRY   = "true"
      KARAPACE_HOST                = "0.0.0.0"
      KARAPACE_PORT                = "8081"
      KARAPACE_ADVERTISED_HOSTNAME = "schema-registry.${var.namespace}.svc.cluster.local"
      KARAPACE_BOOTSTRAP_URI       = var.bootstrap_servers
      KARAPACE_SECURITY_PROTOCOL   = local.registry_security_protocol
      KARAPACE_SASL_MECHANISM      = var.kafka_scram_mechanism
      KARAPACE_SASL_PLAIN_USERNAME = var.kafka_scram_username
      KARAPACE_TOPIC_NAME          = "_schemas"
      KARAPACE_REPLICATION_FACTOR  = tostring(var.schema_registry_replication_factor)
      KARAPACE_CLIENT_ID           = "schema-registry"
      KARAPACE_GROUP_ID            = "schema-registry"
      KARAPACE_MASTER_ELIGIBILITY  = "true"
      KARAPACE_COMPATIBILITY       = "BACKWARD"
      KARAPACE_LOG_LEVEL           = "WARNING"
      KARAPACE_REGISTRY_AUTHFILE   = "${local.registry_auth_dir}/users.json"
    } : key => value if local.scram || !startswith(key, "KARAPACE_SASL_")
  }

  registry_username = "monitml"
  registry_auth_dir = "/etc/karapace/auth"

  # Karapace's users file: the user may read and write every subject and the global config.
  registry_users_script = <<-EOT
    import json, os, secrets
    from karapace.core.auth import HashAlgorithm, hash_password
    user, salt = os.environ["REGISTRY_USERNAME"], secrets.token_urlsafe(16)
    users = {
        "users": [{"username": user, "algorithm": "sha512", "salt": salt,
                   "password_hash": hash_password(HashAlgorithm.SHA512, salt, os.environ["REGISTRY_PASSWORD"])}],
        "permissions": [{"username": user, "operation": "Write", "resource": ".*"}],
    }
    with open(os.environ["REGISTRY_AUTHFILE"], "w") as out:
        json.dump(users, out)
  EOT
}

resource "random_password" "schema_registry" {
  count = var.install_schema_registry ? 1 : 0

  # USER:PASSWORD travels in a Basic header and a variable: letters and digits only.
  length  = 32
  special = false
}

resource "kubernetes_secret_v1" "schema_registry_users" {
  count = var.install_schema_registry ? 1 : 0

  metadata {
    name      = "schema-registry-users"
    namespace = var.namespace
    labels    = local.registry_labels
  }

  data = {
    password = random_password.schema_registry[0].result
  }

  depends_on = [kubernetes_namespace_v1.this]
}

resource "kubernetes_secret_v1" "schema_registry" {
  count = var.install_schema_registry && local.scram ? 1 : 0

  metadata {
    name      = "schema-registry-kafka"
    namespace = var.namespace
    labels    = local.registry_labels
  }

  data = {
    password = var.kafka_scram_password
  }

  depends_on = [kubernetes_namespace_v1.this]
}

resource "kubernetes_deployment_v1" "schema_registry" {
  count = var.install_schema_registry ? 1 : 0

  metadata {
    name      = "schema-registry"
    namespace = var.namespace
    labels    = local.registry_labels
  }

  spec {
    replicas = 1

    selector {
      match_labels = local.registry_labels
    }

    template {
      metadata {
        labels = local.registry_labels
      }

      spec {
        init_container {
          name    = "users"
          image   = var.schema_registry_image
          command = ["python3", "-c", local.registry_users_script]

          env {
            name  = "REGISTRY_USERNAME"
            value = local.registry_username
          }

          env {
            name = "REGISTRY_PASSWORD"
            value_from {
              secret_key_ref {
                name = kubernetes_secret_v1.schema_registry_users[0].metadata[0].name
                key  = "password"
              }
            }
          }

          env {
            name  = "REGISTRY_AUTHFILE"
            value = local.registry_env.KARAPACE_REGISTRY_AUTHFILE
          }

          volume_mount {
            name       = "auth"
            mount_path = local.registry_auth_dir
          }
        }

        container {
          name    = "karapace"
          image   = var.schema_registry_image
          command = ["python3", "-m", "karapace"]

          port {
            name           = "http"
            container_port = 8081
          }

          dynamic "env" {
            for_each = local.registry_env
            content {
              name  = env.key
              value = env.value
            }
          }

          dynamic "env" {
            for_each = kubernetes_secret_v1.schema_registry
            content {
              name = "KARAPACE_SASL_PLAIN_PASSWORD"
              value_from {
                secret_key_ref {
                  name = env.value.metadata[0].name
                  key  = "password"
                }
              }
            }
          }

          volume_mount {
            name       = "auth"
            mount_path = local.registry_auth_dir
            read_only  = true
          }

          readiness_probe {
            http_get {
              path = "/_health"
              port = "http"
            }
            initial_delay_seconds = 10
            period_seconds        = 10
          }

          liveness_probe {
            http_get {
              path = "/_health"
              port = "http"
            }
            initial_delay_seconds = 60
            period_seconds        = 20
            failure_threshold     = 6
          }

          resources {
            requests = {
              cpu    = "100m"
              memory = "256Mi"
            }
            limits = {
              memory = "512Mi"
            }
          }
        }

        # In memory only: the file holds the password's hash.
        volume {
          name = "auth"
          empty_dir {
            medium     = "Memory"
            size_limit = "1Mi"
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = !local.iam
      error_message = "The in-cluster Karapace cannot authenticate with AWS_MSK_IAM: use an existing registry (schema_registry_url), or SCRAM."
    }
  }

  depends_on = [kubernetes_namespace_v1.this]
}

resource "kubernetes_service_v1" "schema_registry" {
  count = var.install_schema_registry ? 1 : 0

  metadata {
    name      = "schema-registry"
    namespace = var.namespace
    labels    = local.registry_labels
  }

  spec {
    selector = local.registry_labels

    port {
      name        = "http"
      port        = 8081
      target_port = "http"
    }
  }

  depends_on = [kubernetes_namespace_v1.this]
}
