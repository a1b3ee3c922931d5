# The one-off pre-deploy task (issue 25): database role set-up and migrations, run by
# the pre-deploy state machine (pre-deploy-sfn.tf, task-definitions/migrate.json), which
# the deploy CLI (`migrate`) starts and waits for BEFORE any service is updated. It is
# the only thing that can read the RDS master secret:
#   - its own execution role (fetches the container secrets) may read the master secret
#     and nothing else; the services' execution roles no longer can (iam.tf);
#   - its own task role grants nothing (the migration logs in with the master password
#     the agent injected; it needs no AWS API);
#   - its own security group reaches Postgres and the VPC endpoints, nothing else.
# It is not an ECS service: nothing keeps it running, no load balancer sees it.

resource "aws_cloudwatch_log_group" "migrate" {
  name              = "/ecs/${local.name}/migrate"
  retention_in_days = local.log_retention_days
}

resource "aws_iam_role" "migrate_execution" {
  name               = "${local.name}-migrate-execution"
  description        = "Monkeytown ${var.environment} pre-deploy task (ECS agent): pull the server image, write its log group, read the RDS master secret"
  assume_role_policy = local.ecs_tasks_trust
}

resource "aws_iam_role_policy" "migrate_execution" {
  name = "pull-log-master-secret"
  role = aws_iam_role.migrate_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "EcrAuth", Effect = "Allow", Action = ["ecr:GetAuthorizationToken"], Resource = "*" },
      {
        Sid      = "EcrPull"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = aws_ecr_repository.this["server"].arn
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.migrate.arn}:*"
      },
      {
        Sid      = "MasterSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [local.db_secret_arn]
      },
    ]
  })
}

# Its identity only: no policy. (A task role is still named so the task never falls back
# to anything else, and so IAM can tell its sessions apart in CloudTrail.)
resource "aws_iam_role" "migrate_task" {
  name               = "${local.name}-migrate-task"
  description        = "Monkeytown ${var.environment} pre-deploy task (application): no permissions"
  assume_role_policy = local.ecs_tasks_trust
}

resource "aws_security_group" "migrate" {
  name        = "${local.name}-migrate"
  description = "Monkeytown pre-deploy task: Postgres and the VPC endpoints only"
  vpc_id      = module.network.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "migrate_to_db" {
  security_group_id            = aws_security_group.migrate.id
  description                  = "pre-deploy task to Postgres"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.database.id
}

resource "aws_vpc_security_group_egress_rule" "migrate_to_endpoints" {
  security_group_id            = aws_security_group.migrate.id
  description                  = "pre-deploy task to the interface VPC endpoints (ECR, CloudWatch Logs, Secrets Manager)"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = module.network.endpoints_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "migrate_to_s3" {
  security_group_id = aws_security_group.migrate.id
  description       = "pre-deploy task to S3 through the gateway endpoint (ECR image layers)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = module.network.s3_prefix_list_id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_migrate" {
  security_group_id            = aws_security_group.database.id
  description                  = "Postgres from the pre-deploy task"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.migrate.id
}

locals {
  # The pre-deploy task's own placeholders in task-definitions/migrate.json (the rest are
  # every task definition's, ecs.tf). Rendered by Terraform only (pre-deploy-sfn.tf).
  migrate_config_vars = {
    EXECUTION_ROLE_ARN = aws_iam_role.migrate_execution.arn
    TASK_ROLE_ARN      = aws_iam_role.migrate_task.arn
    LOG_GROUP          = aws_cloudwatch_log_group.migrate.name
  }

  # What the deploy CLI needs to run the pre-deploy step (outputs.tf, deploy_config.migrate):
  # the state machine to start and the repository whose tag it resolves to a digest.
  # No role, no subnet, no task definition: the state machine fixes all of those.
  migrate_config = {
    family        = "${local.name}-migrate"
    repository    = aws_ecr_repository.this["server"].name
    state_machine = aws_sfn_state_machine.pre_deploy.arn
  }
}

# The first apply (with image_tag) runs the pre-deploy task once before any service is
# created: the game-server's first tasks need the app role and the schema, and nothing
# else creates them any more. It runs the same deploy CLI step as every later rollout
# (deploy/scripts/ecs-deploy.sh --migrate-only): it starts the same state machine with the
# tag's digest and waits for it, from the operator's checkout, with the operator's
# credentials. Later applies (no image_tag) run nothing.
resource "terraform_data" "bootstrap_pre_deploy" {
  count            = var.image_tag != null && var.bootstrap_pre_deploy ? 1 : 0
  triggers_replace = [var.image_tag]

  provisioner "local-exec" {
    interpreter = ["bash", "-c"]
    command     = <<-EOT
      set -euo pipefail
      config=$(mktemp)
      trap 'rm -f "$config"' EXIT
      printf '%s' "$DEPLOY_CONFIG" >"$config"
      "${path.module}/../../deploy/scripts/ecs-deploy.sh" --environment "${var.environment}" --region "${var.aws_region}" \
        --config "$config" --tag "${var.image_tag}" --migrate-only
    EOT
    environment = {
      DEPLOY_CONFIG = jsonencode(local.deploy_config)
    }
  }

  depends_on = [
    aws_db_instance.this,
    aws_sfn_state_machine.pre_deploy,
    aws_iam_role_policy.pre_deploy_sfn,
    aws_iam_role_policy.migrate_execution,
    aws_vpc_security_group_egress_rule.migrate_to_db,
    aws_vpc_security_group_egress_rule.migrate_to_endpoints,
    aws_vpc_security_group_egress_rule.migrate_to_s3,
    aws_vpc_security_group_ingress_rule.database_from_migrate,
    aws_ecs_cluster.this,
    module.network, # private routes, VPC endpoints
  ]
}
