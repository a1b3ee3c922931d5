locals {
  db_secret_arn = aws_db_instance.this.master_user_secret[0].secret_arn

  # Exactly the secrets each service's containers receive (ERRATA 18: the
  # execution role fetches container secrets, so that is where access goes). The RDS
  # master secret is in none of them (issue 25): only the pre-deploy task's own
  # execution role reads it (migrate.tf). The game-server logs in as the app role with
  # IAM tokens (task role, rds-db:connect): it needs no database secret at all.
  service_secret_arns = {
    web          = []
    game-server  = [aws_secretsmanager_secret.redis.arn, aws_secretsmanager_secret.session.arn]
    event-stream = [aws_secretsmanager_secret.redis.arn, aws_secretsmanager_secret.session.arn]
  }

  ecs_tasks_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

# Execution role (used by the ECS agent): pull this service's image, write its
# log group, read its secrets. One per service so web cannot read DB secrets.
resource "aws_iam_role" "execution" {
  for_each           = local.services
  name               = "${local.name}-${each.key}-execution"
  assume_role_policy = local.ecs_tasks_trust
}

resource "aws_iam_role_policy" "execution" {
  for_each = local.services
  name     = "pull-log-secrets"
  role     = aws_iam_role.execution[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        { Sid = "EcrAuth", Effect = "Allow", Action = ["ecr:GetAuthorizationToken"], Resource = "*" },
        {
          Sid      = "EcrPull"
          Effect   = "Allow"
          Action   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
          Resource = aws_ecr_repository.this[each.value.repository].arn
        },
        {
          Sid      = "Logs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "${aws_cloudwatch_log_group.service[each.key].arn}:*"
        },
      ],
      length(local.service_secret_arns[each.key]) == 0 ? [] : [{
        Sid      = "Secrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = local.service_secret_arns[each.key]
      }]
    )
  })
}

# Task role (used by the application). The game-server's may sign RDS IAM tokens
# for its own database role and nothing else; ECS Exec permissions only when it is on.
resource "aws_iam_role" "task" {
  for_each           = local.services
  name               = "${local.name}-${each.key}-task"
  assume_role_policy = local.ecs_tasks_trust
}

resource "aws_iam_role_policy" "task_db_connect" {
  name = "rds-iam-connect"
  role = aws_iam_role.task["game-server"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "RdsIamConnect"
      Effect   = "Allow"
      Action   = ["rds-db:connect"]
      Resource = "arn:aws:rds-db:${var.aws_region}:${data.aws_caller_identity.current.account_id}:dbuser:${aws_db_instance.this.resource_id}/${var.db_app_username}"
    }]
  })
}

resource "aws_iam_role_policy" "task_exec" {
  for_each = var.enable_ecs_exec ? local.services : {}
  name     = "ecs-exec"
  role     = aws_iam_role.task[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ]
        Resource = "*"
      },
      # Sessions are encrypted with the exec key and their output logged.
      { Effect = "Allow", Action = ["kms:Decrypt"], Resource = aws_kms_key.exec[0].arn },
      { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource = "${aws_cloudwatch_log_group.exec[0].arn}:*" },
      { Effect = "Allow", Action = ["logs:DescribeLogGroups"], Resource = "*" },
    ]
  })
}
