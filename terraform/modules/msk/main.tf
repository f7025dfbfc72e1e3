# An Amazon MSK cluster in private subnets. Clients authenticate with SASL/SCRAM-SHA-512 or IAM
# (client_authentication), always over TLS; nothing unauthenticated or in plain text.

locals {
  scram = var.client_authentication == "scram"
  iam   = var.client_authentication == "iam"
  # Client ports of MSK's listeners inside the VPC.
  port = local.scram ? 9096 : 9098

  replication = min(3, var.broker_count)
  min_isr     = max(1, local.replication - 1)

  server_properties = merge({
    # MonitML creates its topics (--create-topics) with the partitions it is told; nothing else
    # should appear by accident because a client misspelled a name.
    "auto.create.topics.enable"                = "false"
    "default.replication.factor"               = tostring(local.replication)
    "min.insync.replicas"                      = tostring(local.min_isr)
    "offsets.topic.replication.factor"         = tostring(local.replication)
    "transaction.state.log.replication.factor" = tostring(local.replication)
    "transaction.state.log.min.isr"            = tostring(local.min_isr)
    "num.partitions"                           = "6"
  }, var.server_properties)
}

resource "aws_security_group" "msk" {
  name_prefix = "${var.name}-msk-"
  description = "MSK brokers of ${var.name}"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-msk" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = var.client_security_group_ids

  security_group_id            = aws_security_group.msk.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  description                  = "Kafka over TLS (${var.client_authentication}) from ${each.key}"
  tags                         = var.tags
}

resource "aws_msk_configuration" "this" {
  name           = var.name
  kafka_versions = [var.kafka_version]
  description    = "Broker settings of ${var.name}"

  server_properties = join("\n", [for key in sort(keys(local.server_properties)) : "${key}=${local.server_properties[key]}"])
}

resource "aws_cloudwatch_log_group" "msk" {
  name              = "/aws/msk/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.broker_count
  enhanced_monitoring    = var.enhanced_monitoring

  broker_node_group_info {
    instance_type   = var.instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.msk.id]

    storage_info {
      ebs_storage_info {
        volume_size = var.ebs_volume_size
      }
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      scram = local.scram
      iam   = local.iam
    }
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.msk.name
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.broker_count % length(var.subnet_ids) == 0
      error_message = "broker_count must be a multiple of the number of subnets."
    }
  }
}
