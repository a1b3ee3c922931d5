# Issue 25: the one-off pre-deploy task (migrate.tf) and the IAM split around the RDS
# master secret. Run with EACH environment's variables, e.g.
#   terraform test -var-file=environments/production.tfvars -filter=tests/pre-deploy.tftest.hcl
# (deploy/cli/test/terraform.test.ts runs it for production and development).

mock_provider "aws" {
  source = "./tests/mocks"
}

provider "aws" {
  alias                       = "ephemeral"
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

# The shared mock gives every role one ARN; these tell the five kinds apart.
override_resource {
  target = aws_iam_role.execution
  values = { arn = "arn:aws:iam::111122223333:role/service-execution" }
}
override_resource {
  target = aws_iam_role.task
  values = { arn = "arn:aws:iam::111122223333:role/service-task" }
}
override_resource {
  target = aws_iam_role.migrate_execution
  values = { arn = "arn:aws:iam::111122223333:role/migrate-execution" }
}
override_resource {
  target = aws_iam_role.migrate_task
  values = { arn = "arn:aws:iam::111122223333:role/migrate-task" }
}
override_resource {
  target = aws_iam_role.pre_deploy_sfn
  values = { arn = "arn:aws:iam::111122223333:role/pre-deploy-sfn" }
}

variables {
  image_tag          = "c0ffee123456"
  write_only_secrets = false
  # No real AWS to run the first apply's pre-deploy task against.
  bootstrap_pre_deploy = false
}

run "master_secret_only_for_the_pre_deploy_task" {
  command = apply

  # --- the services: no role of theirs can read the master secret -----------------
  assert {
    condition = alltrue(flatten([for k, p in aws_iam_role_policy.execution : [
      for s in jsondecode(p.policy).Statement : !(
        anytrue([for a in flatten([s.Action]) : a == "secretsmanager:GetSecretValue" || a == "secretsmanager:*" || a == "*"]) &&
        anytrue([for r in flatten([s.Resource]) : r == "*" || r == aws_db_instance.this.master_user_secret[0].secret_arn])
      )
    ]]))
    error_message = "No service's execution role may read the RDS master secret (nor every secret)."
  }
  assert {
    condition = alltrue([for p in concat([aws_iam_role_policy.task_db_connect], values(aws_iam_role_policy.task_exec)) :
      !strcontains(p.policy, "secretsmanager") && !strcontains(p.policy, aws_db_instance.this.master_user_secret[0].secret_arn)
    ])
    error_message = "No service's task role reads any secret (the game-server signs IAM tokens for its own role)."
  }
  assert {
    condition     = alltrue([for k, td in aws_ecs_task_definition.service : !strcontains(td.container_definitions, aws_db_instance.this.master_user_secret[0].secret_arn) && !strcontains(td.container_definitions, "DB_MASTER")])
    error_message = "No service's task definition names the master secret."
  }
  assert {
    condition     = alltrue([for k, td in aws_ecs_task_definition.service : td.execution_role_arn == aws_iam_role.execution[k].arn && td.task_role_arn == aws_iam_role.task[k].arn])
    error_message = "Each service runs with its own roles, never the pre-deploy task's."
  }
  assert {
    condition     = !contains(values(aws_iam_role.execution)[*].arn, aws_iam_role.migrate_execution.arn) && !contains(values(aws_iam_role.task)[*].arn, aws_iam_role.migrate_task.arn)
    error_message = "The pre-deploy task's roles are not among the services' roles."
  }

  # --- the pre-deploy task: reads the master secret, nothing more -----------------
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.migrate_execution.policy).Statement : s.Resource if s.Sid == "MasterSecret"]) == [aws_db_instance.this.master_user_secret[0].secret_arn] && one([for s in jsondecode(aws_iam_role_policy.migrate_execution.policy).Statement : s.Action if s.Sid == "MasterSecret"]) == ["secretsmanager:GetSecretValue"]
    error_message = "The pre-deploy task's execution role may read exactly the master secret."
  }
  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.migrate_execution.policy).Statement : s if anytrue([for a in flatten([s.Action]) : startswith(a, "secretsmanager:")])]) == 1
    error_message = "The pre-deploy task's execution role reads no other secret."
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.migrate_execution.policy).Statement : s.Resource if s.Sid == "EcrPull"]) == aws_ecr_repository.this["server"].arn && one([for s in jsondecode(aws_iam_role_policy.migrate_execution.policy).Statement : s.Resource if s.Sid == "Logs"]) == "${aws_cloudwatch_log_group.migrate.arn}:*"
    error_message = "The pre-deploy task pulls the server image and writes its own log group."
  }

  # --- its network: Postgres and the endpoints only -------------------------------
  assert {
    condition     = aws_vpc_security_group_ingress_rule.database_from_migrate.referenced_security_group_id == aws_security_group.migrate.id && aws_vpc_security_group_ingress_rule.database_from_migrate.from_port == 5432
    error_message = "Postgres accepts the pre-deploy task."
  }
  assert {
    condition = (aws_vpc_security_group_egress_rule.migrate_to_db.referenced_security_group_id == aws_security_group.database.id
      && aws_vpc_security_group_egress_rule.migrate_to_endpoints.referenced_security_group_id == module.network.endpoints_security_group_id
      && aws_vpc_security_group_egress_rule.migrate_to_s3.prefix_list_id == module.network.s3_prefix_list_id
    && alltrue([for r in [aws_vpc_security_group_egress_rule.migrate_to_db, aws_vpc_security_group_egress_rule.migrate_to_endpoints, aws_vpc_security_group_egress_rule.migrate_to_s3] : r.cidr_ipv4 == null]))
    error_message = "The pre-deploy task reaches Postgres, the VPC endpoints and S3's gateway: no way out of the VPC."
  }

  # --- the deploy role cannot pass the pre-deploy task's roles at all -------------
  assert {
    condition = alltrue([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement :
      !contains(flatten([s.Resource]), aws_iam_role.migrate_execution.arn) && !contains(flatten([s.Resource]), aws_iam_role.migrate_task.arn) && !contains(flatten([s.Resource]), "*")
      if s.Effect == "Allow" && anytrue([for a in flatten([s.Action]) : a == "iam:PassRole" || a == "iam:*" || a == "*"])
    ])
    error_message = "No PassRole statement of the deploy role covers either pre-deploy role (nor every role)."
  }
  assert {
    condition = (toset(one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Resource if s.Sid == "PassServiceRoles"])) == toset(concat(values(aws_iam_role.execution)[*].arn, values(aws_iam_role.task)[*].arn))
    && length([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s if contains(flatten([s.Action]), "iam:PassRole")]) == 1)
    error_message = "The deploy role passes exactly the services' six roles, in one statement."
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Condition.StringEquals["iam:PassedToService"] == "ecs-tasks.amazonaws.com" if contains(flatten([s.Action]), "iam:PassRole")])
    error_message = "Every role the deploy role passes goes to ECS tasks only."
  }
  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s if s.Effect == "Allow" && anytrue([for a in flatten([s.Action]) : contains(["ecs:RunTask", "ecs:StartTask", "ecs:*", "*"], a)])]) == 0
    error_message = "The deploy role runs no task itself (the state machine runs the pre-deploy task)."
  }
  assert {
    condition = (one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Resource if s.Sid == "PreDeployStart"]) == [aws_sfn_state_machine.pre_deploy.arn]
      && one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Action if s.Sid == "PreDeployStart"]) == ["states:StartExecution"]
      && length([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s if anytrue([for a in flatten([s.Action]) : startswith(a, "states:") || a == "*"])]) == 2
    && one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Resource if s.Sid == "PreDeployWatch"]) == ["arn:aws:states:${var.aws_region}:111122223333:execution:monkeytown-${var.environment}-pre-deploy:*"])
    error_message = "The deploy role may start only the pre-deploy state machine, and watch or stop only its executions."
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Condition.ArnLike["ecs:task-definition"] if s.Sid == "NoServiceOnPreDeployRevisions" && s.Effect == "Deny"]) == "arn:aws:ecs:${var.aws_region}:111122223333:task-definition/monkeytown-${var.environment}-migrate:*"
    error_message = "The deploy role is denied pointing a service at a migrate revision."
  }

  # --- the state machine's role: the only one that may pass the pre-deploy roles ----
  assert {
    condition = (one([for s in jsondecode(aws_iam_role_policy.pre_deploy_sfn.policy).Statement : s.Resource if s.Sid == "PassPreDeployRoles"]) == [aws_iam_role.migrate_execution.arn, aws_iam_role.migrate_task.arn]
      && one([for s in jsondecode(aws_iam_role_policy.pre_deploy_sfn.policy).Statement : s.Condition.StringEquals["iam:PassedToService"] if s.Sid == "PassPreDeployRoles"]) == "ecs-tasks.amazonaws.com"
    && length([for s in jsondecode(aws_iam_role_policy.pre_deploy_sfn.policy).Statement : s if contains(flatten([s.Action]), "iam:PassRole")]) == 1)
    error_message = "The state machine's role passes exactly the two pre-deploy roles, to ECS tasks only."
  }
  assert {
    # Every other role policy of the stack: none names a pre-deploy role.
    condition = alltrue([for p in concat(values(aws_iam_role_policy.execution), [aws_iam_role_policy.task_db_connect], values(aws_iam_role_policy.task_exec), aws_iam_role_policy.deploy, [aws_iam_role_policy.migrate_execution]) :
    !strcontains(p.policy, aws_iam_role.migrate_execution.arn) && !strcontains(p.policy, aws_iam_role.migrate_task.arn)])
    error_message = "Only the state machine's role policy names the pre-deploy roles."
  }
  assert {
    condition = (length(jsondecode(aws_iam_role.pre_deploy_sfn.assume_role_policy).Statement) == 1
      && jsondecode(aws_iam_role.pre_deploy_sfn.assume_role_policy).Statement[0].Principal == { Service = "states.amazonaws.com" }
    && jsondecode(aws_iam_role.pre_deploy_sfn.assume_role_policy).Statement[0].Condition.ArnEquals["aws:SourceArn"] == "arn:aws:states:${var.aws_region}:111122223333:stateMachine:monkeytown-${var.environment}-pre-deploy")
    error_message = "Only Step Functions, for this state machine, acts as the state machine's role."
  }
  assert {
    condition = (one([for s in jsondecode(aws_iam_role_policy.pre_deploy_sfn.policy).Statement : s.Resource if s.Sid == "RunMigrateTask"]) == ["arn:aws:ecs:${var.aws_region}:111122223333:task-definition/monkeytown-${var.environment}-migrate:*"]
      && one([for s in jsondecode(aws_iam_role_policy.pre_deploy_sfn.policy).Statement : s.Condition.ArnEquals["ecs:cluster"] if s.Sid == "RunMigrateTask"]) == aws_ecs_cluster.this.arn
      && length([for s in jsondecode(aws_iam_role_policy.pre_deploy_sfn.policy).Statement : s if contains(flatten([s.Action]), "ecs:RunTask")]) == 1
    && one([for s in jsondecode(aws_iam_role_policy.pre_deploy_sfn.policy).Statement : s.Resource if s.Sid == "WatchMigrateTask"]) == ["arn:aws:ecs:${var.aws_region}:111122223333:task/monkeytown-${var.environment}/*"])
    error_message = "The state machine's role runs only the migrate family, only in this cluster, and watches only this cluster's tasks."
  }
  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.pre_deploy_sfn.policy).Statement : s.Action])) == toset([
      "ecs:RegisterTaskDefinition", "ecs:RunTask", "ecs:DescribeTasks", "ecs:StopTask", "events:PutTargets", "events:PutRule", "events:DescribeRule", "iam:PassRole",
    ])
    error_message = "The state machine's role can do nothing beyond registering and running the migrate task."
  }

  # --- the state machine: takes a digest, registers the migrate family, runs it here ---
  assert {
    condition     = aws_sfn_state_machine.pre_deploy.role_arn == aws_iam_role.pre_deploy_sfn.arn && aws_sfn_state_machine.pre_deploy.name == "monkeytown-${var.environment}-pre-deploy"
    error_message = "The state machine runs as its own role."
  }
  assert {
    condition = (jsondecode(aws_sfn_state_machine.pre_deploy.definition).StartAt == "CheckInput"
      && strcontains(one(jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.CheckInput.Choices).Condition, "/^sha256:[0-9a-f]{64}$/")
      && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.CheckInput.Default == "RejectInput"
    && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RejectInput.Type == "Fail")
    error_message = "The state machine first checks its input is an image digest, and fails otherwise."
  }
  assert {
    condition = (jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RegisterMigrateTask.Resource == "arn:aws:states:::aws-sdk:ecs:registerTaskDefinition"
      && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RegisterMigrateTask.Arguments.Family == "monkeytown-${var.environment}-migrate"
      && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RegisterMigrateTask.Arguments.ExecutionRoleArn == aws_iam_role.migrate_execution.arn
    && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RegisterMigrateTask.Arguments.TaskRoleArn == aws_iam_role.migrate_task.arn)
    error_message = "The state machine registers the migrate family with the pre-deploy roles."
  }
  assert {
    condition = (one(jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RegisterMigrateTask.Arguments.ContainerDefinitions).Image == "{% '${aws_ecr_repository.this["server"].repository_url}@' & $states.input.digest %}"
      && one(jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RegisterMigrateTask.Arguments.ContainerDefinitions).Command == ["node", "dist/migrate.js"]
      && contains(one(jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RegisterMigrateTask.Arguments.ContainerDefinitions).Environment, { Name = "MIGRATION_LOCK_TIMEOUT_MS", Value = "5000" })
    && one(jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RegisterMigrateTask.Arguments.ContainerDefinitions).Secrets == [{ Name = "DB_MASTER_USERNAME", ValueFrom = "${aws_db_instance.this.master_user_secret[0].secret_arn}:username::" }, { Name = "DB_MASTER_PASSWORD", ValueFrom = "${aws_db_instance.this.master_user_secret[0].secret_arn}:password::" }])
    error_message = "The migrate container is task-definitions/migrate.json's: the server repository at the input's digest, migrate.js, the lock timeout, the master secret."
  }
  assert {
    condition     = length(split("$states.input", jsonencode(jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RegisterMigrateTask.Arguments))) == 2
    error_message = "The registered task definition takes exactly one thing from the caller: the digest in the image."
  }
  assert {
    condition = (jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RunMigrations.Resource == "arn:aws:states:::ecs:runTask.sync"
      && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RunMigrations.Arguments.Cluster == aws_ecs_cluster.this.arn
      && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RunMigrations.Arguments.TaskDefinition == "{% $taskDefinitionArn %}"
      && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RunMigrations.Arguments.NetworkConfiguration.AwsvpcConfiguration == { Subnets = module.network.private_subnet_ids, SecurityGroups = [aws_security_group.migrate.id], AssignPublicIp = "DISABLED" }
    && !strcontains(jsonencode(jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.RunMigrations.Arguments), "Overrides"))
    error_message = "The state machine runs the revision it registered, in this cluster, in the pre-deploy task's subnets and security group, with no overrides."
  }
  assert {
    condition = (jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.CheckExitCode.Choices[0].Condition == "{% $states.input.exitCode = 0 %}"
      && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.CheckExitCode.Choices[0].Next == "Migrated"
    && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.MigrationFailed.Type == "Fail" && jsondecode(aws_sfn_state_machine.pre_deploy.definition).States.CheckExitCode.Default == "MigrationFailed")
    error_message = "The execution fails unless the migrate container exited 0."
  }

  # --- what the deploy CLI gets: the state machine and the repository, nothing to shape it
  assert {
    condition = output.deploy_config.migrate == {
      family        = "monkeytown-${var.environment}-migrate"
      repository    = "monkeytown-${var.environment}/server"
      state_machine = aws_sfn_state_machine.pre_deploy.arn
    }
    error_message = "The deploy configuration names the pre-deploy state machine and the image repository: no role, subnet or task definition."
  }
  assert {
    condition     = output.deploy_config.common_vars.MIGRATION_LOCK_TIMEOUT_MS == "5000"
    error_message = "The migrations' lock_timeout reaches the pre-deploy task definition."
  }
  assert {
    condition     = alltrue([for k, s in output.deploy_config.services : s.service == aws_ecs_service.service[k].name])
    error_message = "The service names in the deploy configuration are the services' (written without referring to them)."
  }
}

# The first apply runs the pre-deploy task once, before any service (ecs.tf depends_on);
# later applies (no image_tag) run nothing.
run "first_apply_runs_the_pre_deploy_task" {
  command = plan
  variables {
    bootstrap_pre_deploy = true
  }
  assert {
    condition     = length(terraform_data.bootstrap_pre_deploy) == 1 && terraform_data.bootstrap_pre_deploy[0].triggers_replace[0] == "c0ffee123456"
    error_message = "The first apply (image_tag set) runs the pre-deploy task for that tag."
  }
}

run "later_apply_runs_no_pre_deploy_task" {
  command = plan
  variables {
    bootstrap_pre_deploy = true
    image_tag            = null
  }
  assert {
    condition     = length(terraform_data.bootstrap_pre_deploy) == 0
    error_message = "A routine apply (no image_tag) runs nothing: rollouts run the pre-deploy task themselves."
  }
}

run "rejects_a_lock_timeout_out_of_range" {
  command = plan
  variables {
    migration_lock_timeout_ms = 10
  }
  expect_failures = [var.migration_lock_timeout_ms]
}
