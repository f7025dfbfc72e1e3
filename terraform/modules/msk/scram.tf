# SASL/SCRAM credentials: MSK reads them from a Secrets Manager secret whose name starts with
# AmazonMSK_, encrypted with a customer-managed KMS key (MSK refuses the default key), associated
# with the cluster. Only when client_authentication = "scram".

resource "aws_kms_key" "scram" {
  count = local.scram ? 1 : 0

  description             = "SCRAM credentials of the MSK cluster ${var.name}"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  tags                    = var.tags
}

resource "random_password" "scram" {
  count = local.scram ? 1 : 0

  length = 32
  # The password goes into a JAAS line between double quotes: keep quotes and backslashes out.
  override_special = "-_.+=!"
}

resource "aws_secretsmanager_secret" "scram" {
  count = local.scram ? 1 : 0

  name                    = "AmazonMSK_${var.name}_${var.scram_username}"
  description             = "SASL/SCRAM user ${var.scram_username} of the MSK cluster ${var.name}"
  kms_key_id              = aws_kms_key.scram[0].key_id
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "scram" {
  count = local.scram ? 1 : 0

  secret_id = aws_secretsmanager_secret.scram[0].id
  secret_string = jsonencode({
    username = var.scram_username
    password = random_password.scram[0].result
  })
}

data "aws_iam_policy_document" "scram_secret" {
  count = local.scram ? 1 : 0

  statement {
    sid       = "AWSKafkaResourcePolicy"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.scram[0].arn]

    principals {
      type        = "Service"
      identifiers = ["kafka.amazonaws.com"]
    }
  }
}

resource "aws_secretsmanager_secret_policy" "scram" {
  count = local.scram ? 1 : 0

  secret_arn = aws_secretsmanager_secret.scram[0].arn
  policy     = data.aws_iam_policy_document.scram_secret[0].json
}

resource "aws_msk_scram_secret_association" "this" {
  count = local.scram ? 1 : 0

  cluster_arn     = aws_msk_cluster.this.arn
  secret_arn_list = [aws_secretsmanager_secret.scram[0].arn]

  depends_on = [aws_secretsmanager_secret_version.scram, aws_secretsmanager_secret_policy.scram]
}
