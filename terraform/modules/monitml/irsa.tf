# IAM role for MonitML's service account (IRSA), with MSK's data-plane permissions scoped to
# MonitML's names: its own topics, Kafka Streams' internal topics, its consumer group and its
# transactional ids (exactly_once_v2), and read-only access to Seldon's topics. No wildcard
# action, and no topic or group it does not own or read. Created when kafka_auth = "iam" and no
# role is given.

locals {
  create_irsa_role = local.iam && var.service_account_role_arn == ""
  oidc_host        = replace(var.oidc_issuer_url, "https://", "")
  # arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> -> .../topic/<name>/<uuid>, etc.; the
  # resource's own name follows after a "/".
  msk_topic_arn = replace(var.msk_cluster_arn, ":cluster/", ":topic/")
  msk_group_arn = replace(var.msk_cluster_arn, ":cluster/", ":group/")
  msk_txn_arn   = replace(var.msk_cluster_arn, ":cluster/", ":transactional-id/")

  # The v1 executor's logger topic, and Seldon Core v2's <prefix>.<namespace>.model.<model>.inputs
  # and .outputs (and .pipeline.<name>.*), the pattern MonitML subscribes to.
  seldon_topic_arns = concat(
    var.seldon_v1_topic == "" ? [] : ["${local.msk_topic_arn}/${var.seldon_v1_topic}"],
    var.seldon_v2_topic_prefix == "" ? [] : [
      for suffix in ["model.*.inputs", "model.*.outputs", "pipeline.*.inputs", "pipeline.*.outputs"] :
      "${local.msk_topic_arn}/${var.seldon_v2_topic_prefix}.*.${suffix}"
    ],
  )

  # Settings of monitml_config that name what the role grants: they must agree with it, or MonitML
  # would be refused at start.
  iam_name_conflicts = concat(
    [for key, value in var.monitml_config : "monitml_config.${key} = \"${value}\" is not under topic_prefix \"${var.topic_prefix}\"" if endswith(key, "Topic") && key != "seldonV1Topic" && !startswith(value, var.topic_prefix)],
    [for key, value in var.monitml_config : "monitml_config.applicationId = \"${value}\": set application_id instead" if key == "applicationId" && value != var.application_id],
    [for key, value in var.monitml_config : "monitml_config.seldonV1Topic = \"${value}\": set seldon_v1_topic to it" if key == "seldonV1Topic" && value != "" && value != var.seldon_v1_topic],
    [for key, value in var.monitml_config : "monitml_config.seldonV2Prefix = \"${value}\": set seldon_v2_topic_prefix instead" if key == "seldonV2Prefix" && value != var.seldon_v2_topic_prefix],
  )
}

data "aws_iam_policy_document" "monitml_assume" {
  count = local.create_irsa_role ? 1 : 0

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.service_account_name}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "msk_data_plane" {
  count = local.create_irsa_role ? 1 : 0

  # WriteDataIdempotently: the ingest endpoint's producer is idempotent, and so are Kafka
  # Streams' producers.
  statement {
    sid = "Cluster"
    actions = [
      "kafka-cluster:Connect",
      "kafka-cluster:DescribeCluster",
      "kafka-cluster:WriteDataIdempotently",
    ]
    resources = [var.msk_cluster_arn]
  }

  # MonitML's topics: created at start when missing (config.createTopics), the raw topic written
  # by the ingest endpoint and read, the outputs and dead letters written, the baselines read.
  statement {
    sid = "MonitmlTopics"
    actions = [
      "kafka-cluster:CreateTopic",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:ReadData",
      "kafka-cluster:WriteData",
    ]
    resources = ["${local.msk_topic_arn}/${var.topic_prefix}*"]
  }

  # Kafka Streams' repartition and changelog topics, <application id>-...: it creates them with
  # their settings, checks these (DescribeConfigs), purges consumed repartition records
  # (DeleteRecords, which MSK authorizes as DeleteTopic) and deletes the topics it created when
  # their setup fails halfway. It never alters them: changing a changelog's settings is an
  # operator's job.
  statement {
    sid = "StreamsInternalTopics"
    actions = [
      "kafka-cluster:CreateTopic",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:DescribeTopicDynamicConfiguration",
      "kafka-cluster:ReadData",
      "kafka-cluster:WriteData",
      "kafka-cluster:DeleteTopic",
    ]
    resources = ["${local.msk_topic_arn}/${var.application_id}-*"]
  }

  # Seldon's topics: read, never written, created or deleted.
  dynamic "statement" {
    for_each = length(local.seldon_topic_arns) > 0 ? [local.seldon_topic_arns] : []
    content {
      sid = "SeldonTopics"
      actions = [
        "kafka-cluster:DescribeTopic",
        "kafka-cluster:ReadData",
      ]
      resources = statement.value
    }
  }

  # Kafka Streams' consumer group is the application id; the offsets are committed in it (within
  # the transactions, with exactly_once_v2). Deleting it is the reset tool's job, not MonitML's.
  statement {
    sid = "ConsumerGroup"
    actions = [
      "kafka-cluster:DescribeGroup",
      "kafka-cluster:AlterGroup",
    ]
    resources = ["${local.msk_group_arn}/${var.application_id}"]
  }

  # exactly_once_v2: Kafka Streams' producers use <application id>-<process id>-<thread> as
  # their transactional ids.
  statement {
    sid = "TransactionalIds"
    actions = [
      "kafka-cluster:DescribeTransactionalId",
      "kafka-cluster:AlterTransactionalId",
    ]
    resources = ["${local.msk_txn_arn}/${var.application_id}-*"]
  }
}

resource "aws_iam_role" "monitml" {
  count = local.create_irsa_role ? 1 : 0

  name               = "${var.name_prefix}-monitml-msk"
  assume_role_policy = data.aws_iam_policy_document.monitml_assume[0].json
  tags               = var.tags

  lifecycle {
    precondition {
      condition     = var.oidc_provider_arn != "" && var.oidc_issuer_url != "" && var.msk_cluster_arn != ""
      error_message = "kafka_auth = \"iam\" without service_account_role_arn needs oidc_provider_arn, oidc_issuer_url and msk_cluster_arn."
    }
  }
}

resource "aws_iam_role_policy" "monitml_msk" {
  count = local.create_irsa_role ? 1 : 0

  name   = "msk-data-plane"
  role   = aws_iam_role.monitml[0].id
  policy = data.aws_iam_policy_document.msk_data_plane[0].json

  lifecycle {
    precondition {
      condition     = length(local.iam_name_conflicts) == 0
      error_message = "MonitML's settings name topics or ids the IAM role does not grant: ${join("; ", local.iam_name_conflicts)}."
    }
  }
}
