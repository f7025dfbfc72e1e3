# IAM role for MonitML's service account (IRSA), with MSK's data-plane permissions: connect,
# create and use its topics, its consumer groups and its transactional ids (exactly_once_v2).
# Created when kafka_auth = "iam" and no role is given.

locals {
  create_irsa_role = local.iam && var.service_account_role_arn == ""
  oidc_host        = replace(var.oidc_issuer_url, "https://", "")
  # arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> -> .../topic/<name>/<uuid>, etc.
  msk_topic_arn = "${replace(var.msk_cluster_arn, ":cluster/", ":topic/")}/*"
  msk_group_arn = "${replace(var.msk_cluster_arn, ":cluster/", ":group/")}/*"
  msk_txn_arn   = "${replace(var.msk_cluster_arn, ":cluster/", ":transactional-id/")}/*"
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

  statement {
    sid = "Cluster"
    actions = [
      "kafka-cluster:Connect",
      "kafka-cluster:DescribeCluster",
      "kafka-cluster:WriteDataIdempotently",
    ]
    resources = [var.msk_cluster_arn]
  }

  # Every topic: MonitML creates its own and Kafka Streams its internal ones (prefixed with the
  # application id), reads Seldon's, and purges its repartition topics (DeleteRecords).
  statement {
    sid = "Topics"
    actions = [
      "kafka-cluster:CreateTopic",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:AlterTopic",
      "kafka-cluster:DeleteTopic",
      "kafka-cluster:DescribeTopicDynamicConfiguration",
      "kafka-cluster:AlterTopicDynamicConfiguration",
      "kafka-cluster:ReadData",
      "kafka-cluster:WriteData",
    ]
    resources = [local.msk_topic_arn]
  }

  statement {
    sid = "Groups"
    actions = [
      "kafka-cluster:DescribeGroup",
      "kafka-cluster:AlterGroup",
      "kafka-cluster:DeleteGroup",
    ]
    resources = [local.msk_group_arn]
  }

  statement {
    sid = "Transactions"
    actions = [
      "kafka-cluster:DescribeTransactionalId",
      "kafka-cluster:AlterTransactionalId",
    ]
    resources = [local.msk_txn_arn]
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
}
