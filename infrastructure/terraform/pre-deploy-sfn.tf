# The pre-deploy run, behind something the deploy role cannot shape (issue 25): a Step
# Functions state machine that Terraform owns. Its input is ONLY the digest of the
# release's server image; the repository, the command, the environment, the roles, the
# cluster and the network are all fixed here. It registers a revision of the migrate
# family from task-definitions/migrate.json (the same file, rendered here with the same
# placeholders) and runs it once, failing when the container does not exit 0.
#
# Why: IAM cannot limit which task definition a passed role ends up in. While the deploy
# role could pass the pre-deploy roles (to run the migrate task itself), it could also
# have registered a SERVICE revision naming the pre-deploy execution role, which reads
# the RDS master secret. Now only this state machine's role may pass those two roles,
# and nobody but Step Functions, running this definition, can act as that role.

locals {
  pre_deploy_state_machine_name = "${local.name}-pre-deploy"
  pre_deploy_state_machine_arn  = "arn:aws:states:${var.aws_region}:${data.aws_caller_identity.current.account_id}:stateMachine:${local.pre_deploy_state_machine_name}"
  pre_deploy_executions_arn     = "arn:aws:states:${var.aws_region}:${data.aws_caller_identity.current.account_id}:execution:${local.pre_deploy_state_machine_name}:*"

  # The one thing the caller chooses: a digest, nothing that could name another
  # repository or registry. The image is <this stack's server repository>@<digest>.
  pre_deploy_digest_pattern = "^sha256:[0-9a-f]{64}$"

  # task-definitions/migrate.json, rendered with the placeholders every task definition
  # gets (ecs.tf) plus the pre-deploy task's own roles and log group. IMAGE is a JSONata
  # expression Step Functions evaluates per execution: the fixed repository URL and the
  # execution's (validated) digest.
  migrate_task_definition = jsondecode(templatefile("${path.module}/../../task-definitions/migrate.json", merge(
    local.task_definition_vars["game-server"],
    local.migrate_config_vars,
    { IMAGE = "{% '${aws_ecr_repository.this["server"].repository_url}@' & $states.input.digest %}" },
  )))

  # RegisterTaskDefinition's input in the SDK integration's PascalCase. Field by field on
  # purpose: a field migrate.json gains that is not mapped here fails the plan (the
  # precondition on the state machine) instead of being dropped silently.
  migrate_td_fields        = ["family", "networkMode", "requiresCompatibilities", "cpu", "memory", "runtimePlatform", "executionRoleArn", "taskRoleArn", "containerDefinitions"]
  migrate_container_fields = ["name", "image", "essential", "command", "environment", "secrets", "readonlyRootFilesystem", "linuxParameters", "stopTimeout", "logConfiguration"]
  migrate_register_arguments = {
    Family                  = local.migrate_task_definition.family
    NetworkMode             = local.migrate_task_definition.networkMode
    RequiresCompatibilities = local.migrate_task_definition.requiresCompatibilities
    Cpu                     = local.migrate_task_definition.cpu
    Memory                  = local.migrate_task_definition.memory
    RuntimePlatform = {
      OperatingSystemFamily = local.migrate_task_definition.runtimePlatform.operatingSystemFamily
      CpuArchitecture       = local.migrate_task_definition.runtimePlatform.cpuArchitecture
    }
    ExecutionRoleArn = local.migrate_task_definition.executionRoleArn
    TaskRoleArn      = local.migrate_task_definition.taskRoleArn
    ContainerDefinitions = [for c in local.migrate_task_definition.containerDefinitions : {
      Name                   = c.name
      Image                  = c.image
      Essential              = c.essential
      Command                = c.command
      Environment            = [for e in c.environment : { Name = e.name, Value = e.value }]
      Secrets                = [for s in c.secrets : { Name = s.name, ValueFrom = s.valueFrom }]
      ReadonlyRootFilesystem = c.readonlyRootFilesystem
      LinuxParameters        = { InitProcessEnabled = c.linuxParameters.initProcessEnabled }
      StopTimeout            = c.stopTimeout
      LogConfiguration       = { LogDriver = c.logConfiguration.logDriver, Options = c.logConfiguration.options }
    }]
  }

  pre_deploy_definition = {
    Comment       = "Monkeytown ${var.environment} pre-deploy: register the migrate task for one server image digest, run it once, succeed only when it exits 0"
    QueryLanguage = "JSONata"
    # A backstop: the deploy CLI stops an execution it has waited --migration-timeout for.
    TimeoutSeconds = 3600
    StartAt        = "CheckInput"
    States = {
      CheckInput = {
        Type = "Choice"
        Choices = [{
          Condition = "{% $type($states.input.digest) = 'string' and $contains($states.input.digest, /${local.pre_deploy_digest_pattern}/) %}"
          Next      = "RegisterMigrateTask"
        }]
        Default = "RejectInput"
      }
      RejectInput = {
        Type  = "Fail"
        Error = "Monkeytown.BadInput"
        Cause = "the input must be {\"digest\": \"sha256:<64 hex digits>\"}, the digest of the release's server image"
      }
      RegisterMigrateTask = {
        Type      = "Task"
        Resource  = "arn:aws:states:::aws-sdk:ecs:registerTaskDefinition"
        Arguments = local.migrate_register_arguments
        Assign    = { taskDefinitionArn = "{% $states.result.TaskDefinition.TaskDefinitionArn %}" }
        Next      = "RunMigrations"
      }
      RunMigrations = {
        Type     = "Task"
        Resource = "arn:aws:states:::ecs:runTask.sync"
        Arguments = {
          Cluster        = aws_ecs_cluster.this.arn
          TaskDefinition = "{% $taskDefinitionArn %}"
          LaunchType     = "FARGATE"
          Count          = 1
          StartedBy      = "monkeytown-pre-deploy"
          NetworkConfiguration = {
            AwsvpcConfiguration = {
              Subnets        = module.network.private_subnet_ids
              SecurityGroups = [aws_security_group.migrate.id]
              AssignPublicIp = "DISABLED"
            }
          }
        }
        Output = "{% {'taskArn': $states.result.TaskArn, 'taskDefinitionArn': $taskDefinitionArn, 'exitCode': $states.result.Containers[Name = 'migrate'].ExitCode, 'stoppedReason': $states.result.StoppedReason} %}"
        Next   = "CheckExitCode"
      }
      CheckExitCode = {
        Type    = "Choice"
        Choices = [{ Condition = "{% $states.input.exitCode = 0 %}", Next = "Migrated" }]
        Default = "MigrationFailed"
      }
      Migrated = { Type = "Succeed" }
      MigrationFailed = {
        Type  = "Fail"
        Error = "Monkeytown.MigrationFailed"
        Cause = "{% 'migrate exited ' & ($exists($states.input.exitCode) ? $string($states.input.exitCode) : 'without an exit code') & ' (task ' & $states.input.taskArn & '): ' & $string($states.input.stoppedReason) %}"
      }
    }
  }
}

resource "aws_iam_role" "pre_deploy_sfn" {
  name        = "${local.name}-pre-deploy-sfn"
  description = "Monkeytown ${var.environment} pre-deploy state machine: registers and runs the migrate task, the only role that may pass its roles"
  # Step Functions only, and only for this state machine of this account.
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
        ArnEquals    = { "aws:SourceArn" = local.pre_deploy_state_machine_arn }
      }
    }]
  })
}

resource "aws_iam_role_policy" "pre_deploy_sfn" {
  name = "register-run-migrate"
  role = aws_iam_role.pre_deploy_sfn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # RegisterTaskDefinition cannot be limited to a family in IAM: the definition above
      # (Terraform's, unchangeable by the deploy role) names the migrate family.
      { Sid = "RegisterMigrateTask", Effect = "Allow", Action = ["ecs:RegisterTaskDefinition"], Resource = "*" },
      {
        Sid       = "RunMigrateTask"
        Effect    = "Allow"
        Action    = ["ecs:RunTask"]
        Resource  = [local.migrate_family_arn]
        Condition = { ArnEquals = { "ecs:cluster" = aws_ecs_cluster.this.arn } }
      },
      # runTask.sync watches the task, and stops it when the execution is stopped.
      {
        Sid      = "WatchMigrateTask"
        Effect   = "Allow"
        Action   = ["ecs:DescribeTasks", "ecs:StopTask"]
        Resource = ["${local.ecs_arn_prefix}:task/${local.name}/*"]
      },
      # The rule Step Functions manages to hear of the task stopping (runTask.sync).
      {
        Sid      = "TaskEvents"
        Effect   = "Allow"
        Action   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
        Resource = ["arn:aws:events:${var.aws_region}:${data.aws_caller_identity.current.account_id}:rule/StepFunctionsGetEventsForECSTaskRule"]
      },
      {
        Sid       = "PassPreDeployRoles"
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = [aws_iam_role.migrate_execution.arn, aws_iam_role.migrate_task.arn]
        Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_sfn_state_machine" "pre_deploy" {
  name       = local.pre_deploy_state_machine_name
  role_arn   = aws_iam_role.pre_deploy_sfn.arn
  type       = "STANDARD"
  definition = jsonencode(local.pre_deploy_definition)

  lifecycle {
    precondition {
      condition = (length(setsubtract(keys(local.migrate_task_definition), local.migrate_td_fields)) == 0
        && alltrue([for c in local.migrate_task_definition.containerDefinitions : length(setsubtract(keys(c), local.migrate_container_fields)) == 0])
        && alltrue([for c in local.migrate_task_definition.containerDefinitions : keys(c.linuxParameters) == ["initProcessEnabled"]])
      )
      error_message = "task-definitions/migrate.json has a field pre-deploy-sfn.tf does not map into the state machine's RegisterTaskDefinition input: map it there (migrate_register_arguments)."
    }
  }

  # The role's permissions exist before an execution can use them.
  depends_on = [aws_iam_role_policy.pre_deploy_sfn]
}
