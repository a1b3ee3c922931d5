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

# The shared mock gives every role one ARN; these tell the four kinds apart.
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

  # --- the deploy role: runs only the pre-deploy family, passes its roles apart ----
  assert {
    condition = (one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Resource if s.Sid == "PreDeployRun"]) == ["arn:aws:ecs:${var.aws_region}:111122223333:task-definition/monkeytown-${var.environment}-migrate:*"]
    && one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Condition.ArnEquals["ecs:cluster"] if s.Sid == "PreDeployRun"]) == aws_ecs_cluster.this.arn)
    error_message = "The deploy role may RunTask only the pre-deploy family, only in this cluster."
  }
  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s if contains(flatten([s.Action]), "ecs:RunTask")]) == 1
    error_message = "No other statement allows RunTask (a service family run by hand would be a task outside the services' controls)."
  }
  assert {
    condition = (!contains(one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Resource if s.Sid == "PassServiceRoles"]), aws_iam_role.migrate_execution.arn)
      && !contains(one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Resource if s.Sid == "PassServiceRoles"]), aws_iam_role.migrate_task.arn)
    && toset(one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Resource if s.Sid == "PassPreDeployRoles"])) == toset([aws_iam_role.migrate_execution.arn, aws_iam_role.migrate_task.arn]))
    error_message = "The services' roles and the pre-deploy task's roles are passed by separate statements; the pre-deploy roles are not among the services'."
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Condition.StringEquals["iam:PassedToService"] == "ecs-tasks.amazonaws.com" if contains(flatten([s.Action]), "iam:PassRole")])
    error_message = "Every role the deploy role passes goes to ECS tasks only."
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement : s.Resource if s.Sid == "PreDeployWatch"]) == ["arn:aws:ecs:${var.aws_region}:111122223333:task/monkeytown-${var.environment}/*"]
    error_message = "The deploy role watches and stops tasks of this cluster only."
  }

  # --- what the deploy CLI gets: enough to run it, no secret -----------------------
  assert {
    condition = (output.deploy_config.migrate.family == "monkeytown-${var.environment}-migrate"
      && output.deploy_config.migrate.task_definition == "migrate.json"
      && output.deploy_config.migrate.repository == "monkeytown-${var.environment}/server"
      && output.deploy_config.migrate.subnets == module.network.private_subnet_ids
      && output.deploy_config.migrate.security_groups == [aws_security_group.migrate.id]
    && output.deploy_config.migrate.vars == { EXECUTION_ROLE_ARN = aws_iam_role.migrate_execution.arn, TASK_ROLE_ARN = aws_iam_role.migrate_task.arn, LOG_GROUP = aws_cloudwatch_log_group.migrate.name })
    error_message = "The deploy configuration names the pre-deploy family, image repository, subnets, security group and roles."
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
