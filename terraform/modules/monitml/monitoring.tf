# kube-prometheus-stack with the repository's own monitoring files, installed as they are:
# deploy/prometheus/rules (alert rules), deploy/alertmanager (Slack routing and templates) and
# grafana/dashboards. Only paths, channels and the Grafana base URL are adapted to the cluster.

locals {
  alertmanager_dir = "${var.repository_root}/deploy/alertmanager"
  rules_dir        = "${var.repository_root}/deploy/prometheus/rules"
  dashboards_dir   = "${var.repository_root}/grafana/dashboards"

  # The operator mounts alertmanagerSpec.secrets at /etc/alertmanager/secrets/<name>/ and the
  # chart's templateFiles next to the configuration in /etc/alertmanager/config/.
  alertmanager_config = yamldecode(replace(replace(replace(replace(
    file("${local.alertmanager_dir}/alertmanager.yml"),
    "/etc/alertmanager/secrets/slack-webhook-url", "/etc/alertmanager/secrets/${local.slack_secret_name}/slack-webhook-url"),
    "templates/*.tmpl", "/etc/alertmanager/config/*.tmpl"),
    "'#monitml-critical'", "'${var.slack_channel_critical}'"),
    "'#monitml'", "'${var.slack_channel_warning}'"
  ))

  alertmanager_templates = {
    for name in fileset("${local.alertmanager_dir}/templates", "*.tmpl") : name => file("${local.alertmanager_dir}/templates/${name}")
  }

  # One PrometheusRule per rules file; the dashboard links point at grafana_url when it is set.
  rule_files = {
    for name in fileset(local.rules_dir, "*.yml") : trimsuffix(name, ".yml") => yamldecode(
      var.grafana_url == "" ? file("${local.rules_dir}/${name}") : replace(file("${local.rules_dir}/${name}"), "https://grafana.example", trimsuffix(var.grafana_url, "/"))
    )
  }

  # MonitML's pods, found by the chart's standard label, scraped on the HTTP port whatever ports
  # the chart declares. The job is "monitml", as in deploy/prometheus/prometheus.yml: the
  # MonitMLDown rule asks for up{job="monitml"}. MonitML's own `namespace` label (the Seldon
  # namespace of a unit) is left alone; the pod's namespace goes to kubernetes_namespace.
  monitml_scrape_config = {
    job_name        = "monitml"
    metrics_path    = "/metrics"
    scrape_interval = "15s"
    kubernetes_sd_configs = [{
      role       = "pod"
      namespaces = { names = [var.namespace] }
    }]
    relabel_configs = [
      {
        source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
        regex         = "monitml"
        action        = "keep"
      },
      {
        source_labels = ["__meta_kubernetes_pod_phase"]
        regex         = "Running"
        action        = "keep"
      },
      {
        source_labels = ["__meta_kubernetes_pod_ip"]
        target_label  = "__address__"
        replacement   = "$1:${local.http_port}"
      },
      {
        source_labels = ["__meta_kubernetes_pod_name"]
        target_label  = "pod"
      },
      {
        source_labels = ["__meta_kubernetes_namespace"]
        target_label  = "kubernetes_namespace"
      },
    ]
  }

  kube_prometheus_stack_values = {
    defaultRules = { create = var.kube_prometheus_default_rules }
    alertmanager = {
      config        = local.alertmanager_config
      templateFiles = local.alertmanager_templates
      alertmanagerSpec = {
        secrets = [local.slack_secret_name]
      }
    }
    prometheus = {
      prometheusSpec = {
        # The rules' `for` clauses are written for a 15 s evaluation interval.
        scrapeInterval                          = "15s"
        evaluationInterval                      = "15s"
        retention                               = var.prometheus_retention
        ruleSelectorNilUsesHelmValues           = false
        serviceMonitorSelectorNilUsesHelmValues = false
        podMonitorSelectorNilUsesHelmValues     = false
        additionalScrapeConfigs                 = [local.monitml_scrape_config]
      }
    }
    additionalPrometheusRulesMap = local.rule_files
    grafana = {
      sidecar = {
        dashboards = {
          enabled          = true
          label            = "grafana_dashboard"
          labelValue       = "1"
          folderAnnotation = "grafana_folder"
          provider         = { foldersFromFilesStructure = true }
        }
      }
    }
  }
}

resource "random_password" "grafana_admin" {
  count = var.install_kube_prometheus_stack ? 1 : 0

  length  = 24
  special = false
}

resource "helm_release" "kube_prometheus_stack" {
  count = var.install_kube_prometheus_stack ? 1 : 0

  name       = "kube-prometheus-stack"
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "kube-prometheus-stack"
  version    = var.kube_prometheus_stack_chart_version
  namespace  = var.monitoring_namespace
  values     = concat([yamlencode(local.kube_prometheus_stack_values)], var.kube_prometheus_stack_values)

  set_sensitive {
    name  = "grafana.adminPassword"
    value = random_password.grafana_admin[0].result
  }

  wait    = true
  timeout = 900

  depends_on = [kubernetes_namespace_v1.this, kubernetes_secret_v1.slack]
}

# The dashboards, picked up by Grafana's sidecar (label grafana_dashboard=1) into the folder
# "MonitML". They query the data source uid "prometheus", the stack's default one.
resource "kubernetes_config_map_v1" "dashboards" {
  for_each = var.install_kube_prometheus_stack ? fileset(local.dashboards_dir, "*.json") : toset([])

  metadata {
    name      = "grafana-dashboard-${trimsuffix(each.value, ".json")}"
    namespace = var.monitoring_namespace
    labels = {
      grafana_dashboard = "1"
    }
    annotations = {
      grafana_folder = "MonitML"
    }
  }

  data = {
    (each.value) = file("${local.dashboards_dir}/${each.value}")
  }

  depends_on = [kubernetes_namespace_v1.this]
}
