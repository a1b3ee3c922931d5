# The deploy role: exactly what deploy/scripts need (push images, register task
# definitions, roll services, start the pre-deploy state machine, read the deploy
# configuration) and nothing else: no Terraform state, no secret values, no
# infrastructure changes, no role that can read the RDS master secret. CI assumes it through
# OIDC (var.ci_oidc); people can be allowed to assume it too (docs/operations.md).

locals {
  ci_oidc_host = var.ci_oidc == null ? null : trimprefix(var.ci_oidc.issuer_url, "https://")
  ci_oidc_provider_arn = var.ci_oidc == null ? null : (
    var.ci_oidc.create_provider ? aws_iam_openid_connect_provider.ci[0].arn : "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${local.ci_oidc_host}"
  )
  ecs_arn_prefix              = "arn:aws:ecs:${var.aws_region}:${data.aws_caller_identity.current.account_id}"
  task_definition_family_arns = [for k, v in local.services : "${local.ecs_arn_prefix}:task-definition/${local.name}-${k}:*"]
  migrate_family_arn          = "${local.ecs_arn_prefix}:task-definition/${local.name}-migrate:*"
}

# One provider per issuer per account: only one environment sets create_provider.
resource "aws_iam_openid_connect_provider" "ci" {
  count          = var.ci_oidc != null && try(var.ci_oidc.create_provider, false) ? 1 : 0
  url            = var.ci_oidc.issuer_url
  client_id_list = [var.ci_oidc.audience]
}

resource "aws_iam_role" "deploy" {
  count                = var.ci_oidc == null ? 0 : 1
  name                 = "${local.name}-deploy"
  description          = "Monkeytown ${var.environment} deployer (deploy/scripts): images, task definitions, service rollouts"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.ci_oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "${local.ci_oidc_host}:aud" = var.ci_oidc.audience }
        StringLike   = { "${local.ci_oidc_host}:sub" = var.ci_oidc.subjects }
      }
    }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  count = var.ci_oidc == null ? 0 : 1
  name  = "deploy"
  role  = aws_iam_role.deploy[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "DeployConfig", Effect = "Allow", Action = ["ssm:GetParameter"], Resource = aws_ssm_parameter.deploy_config.arn },
      { Sid = "EcrLogin", Effect = "Allow", Action = ["ecr:GetAuthorizationToken"], Resource = "*" },
      {
        Sid    = "EcrPushAndResolve"
        Effect = "Allow"
        Action = [
          "ecr:DescribeRepositories", "ecr:DescribeImages", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability",
          "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
        ]
        Resource = [for r in aws_ecr_repository.this : r.arn]
      },
      # RegisterTaskDefinition and ListTaskDefinitions cannot be limited to resources.
      { Sid = "TaskDefinitions", Effect = "Allow", Action = ["ecs:RegisterTaskDefinition", "ecs:ListTaskDefinitions", "ecs:DescribeTaskDefinition"], Resource = "*" },
      { Sid = "RolloutRecords", Effect = "Allow", Action = ["ecs:TagResource", "ecs:ListTagsForResource"], Resource = local.task_definition_family_arns },
      {
        Sid      = "Services"
        Effect   = "Allow"
        Action   = ["ecs:DescribeServices", "ecs:UpdateService"]
        Resource = [for k, v in local.services : "${local.ecs_arn_prefix}:service/${local.name}/${k}"]
      },
      # The pre-deploy step (pre-deploy-sfn.tf): start the state machine Terraform owns,
      # watch its executions, and stop one that overruns (its task's migration is one
      # transaction, so a stopped task has applied nothing). The deploy role itself runs no
      # task and passes neither pre-deploy role: the state machine's role does both, from
      # a definition that takes nothing from the caller but an image digest.
      { Sid = "PreDeployStart", Effect = "Allow", Action = ["states:StartExecution"], Resource = [aws_sfn_state_machine.pre_deploy.arn] },
      { Sid = "PreDeployWatch", Effect = "Allow", Action = ["states:DescribeExecution", "states:StopExecution"], Resource = [local.pre_deploy_executions_arn] },
      # The services' six roles, to ECS tasks only. Not the pre-deploy task's two: whoever
      # may pass a role may put it into any task definition (IAM cannot say which), and
      # the pre-deploy execution role reads the RDS master secret.
      {
        Sid       = "PassServiceRoles"
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = concat([for r in aws_iam_role.execution : r.arn], [for r in aws_iam_role.task : r.arn])
        Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
      },
      # Belt and braces: the state machine's migrate revisions exist in the account, and a
      # service must never be pointed at one (we do not rely on UpdateService checking
      # PassRole for a revision someone else registered). A Deny on a condition key the
      # request lacks matches nothing, so this can only ever refuse that one thing.
      {
        Sid       = "NoServiceOnPreDeployRevisions"
        Effect    = "Deny"
        Action    = ["ecs:UpdateService", "ecs:CreateService"]
        Resource  = "*"
        Condition = { ArnLike = { "ecs:task-definition" = local.migrate_family_arn } }
      },
    ]
  })
}
