# Issue 14 ("AWS, day two"): run with EACH environment's variables, e.g.
#   terraform test -var-file=environments/production.tfvars -filter=tests/day-two.tftest.hcl
# (deploy/cli/test/terraform.test.ts runs it for production and development).
# Expectations that differ by environment are written with local.is_production.

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

variables {
  image_tag          = "c0ffee123456"
  write_only_secrets = false
  # No real AWS to run the first apply's pre-deploy task against (migrate.tf).
  bootstrap_pre_deploy = false
}

run "bootstrap" {
  command = apply

  # --- 1. rotation nothing notices --------------------------------------------
  assert {
    condition     = !aws_secretsmanager_secret_rotation.db.rotate_immediately
    error_message = "Creating the rotation schedule must not rotate the master password at once (rotate_immediately = false)."
  }
  assert {
    condition     = aws_db_instance.this.iam_database_authentication_enabled && aws_db_instance.this.ca_cert_identifier == "rds-ca-rsa2048-g1"
    error_message = "RDS must allow IAM database authentication and use the CA the image's bundle covers."
  }
  assert {
    condition     = one(jsondecode(aws_iam_role_policy.task_db_connect.policy).Statement).Resource == "arn:aws:rds-db:${var.aws_region}:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ/monkeytown_app" && one(jsondecode(aws_iam_role_policy.task_db_connect.policy).Statement).Action == ["rds-db:connect"]
    error_message = "The game-server's task role may connect as monkeytown_app on this instance only."
  }
  assert {
    condition     = aws_iam_role_policy.task_db_connect.role == aws_iam_role.task["game-server"].id && var.db_app_username != aws_db_instance.this.username
    error_message = "Only the game-server gets rds-db:connect, for a role that is not the master user."
  }
  assert {
    condition = alltrue([for c in jsondecode(aws_ecs_task_definition.service["game-server"].container_definitions) :
    alltrue([for e in try(c.environment, []) : e.name != "DATABASE_URL" || (startswith(e.value, "postgres://monkeytown_app@") && strcontains(e.value, "sslmode=verify-full&sslrootcert=/app/server/certs/rds-global-bundle.pem"))])])
    error_message = "Every DATABASE_URL names the app role and verifies TLS against the image's RDS CA bundle."
  }

  # --- 3. task definitions: bootstrap only, by digest ----------------------------
  assert {
    condition = alltrue(flatten([for k, td in aws_ecs_task_definition.service : [
      for c in jsondecode(td.container_definitions) : can(regex("^111122223333\\.dkr\\.ecr\\.${var.aws_region}\\.amazonaws\\.com/monkeytown-${var.environment}/(web|server)@sha256:[0-9a-f]{64}$", c.image))
    ]]))
    error_message = "Bootstrap revisions pin images by digest (resolved from image_tag in this account's ECR)."
  }
  assert {
    condition     = toset([for d in data.aws_ecr_image.bootstrap : "${d.repository_name}:${d.image_tag}"]) == toset(["monkeytown-${var.environment}/web:c0ffee123456", "monkeytown-${var.environment}/server:c0ffee123456"])
    error_message = "Each repository's bootstrap image is looked up (a missing tag fails the plan)."
  }

  # --- 4. a bootstrap apply waits for steady state ---------------------------------
  assert {
    condition     = alltrue([for s in aws_ecs_service.service : s.wait_for_steady_state])
    error_message = "Services must make terraform apply wait for steady state (and fail when they do not come up)."
  }

  # --- 5. liveness in containers, readiness at the ALB ----------------------------
  assert {
    condition = alltrue([for k, td in aws_ecs_task_definition.service :
      strcontains(join(" ", jsondecode(td.container_definitions)[0].healthCheck.command), k == "web" ? "127.0.0.1:3000/health'" : "/health/live'")
    ])
    error_message = "Container health checks must be liveness only: a Postgres or Redis failover must not kill every task."
  }
  assert {
    condition     = aws_lb_target_group.service["game-server"].health_check[0].path == "/health/ready" && aws_lb_target_group.service["event-stream"].health_check[0].path == "/health/ready"
    error_message = "ALB target groups check readiness (traffic goes only to tasks that reach Postgres and Redis)."
  }

  # --- 7. hardening ---------------------------------------------------------------
  assert {
    condition     = alltrue([for s in aws_ecs_service.service : s.enable_execute_command == false]) && length(aws_iam_role_policy.task_exec) == 0 && length(aws_ecs_cluster.this.configuration) == 0
    error_message = "ECS Exec is off by default, with no exec permissions on the task roles."
  }
  assert {
    condition = alltrue(flatten([for k, td in aws_ecs_task_definition.service : [
      for c in jsondecode(td.container_definitions) : c.readonlyRootFilesystem
    ]]))
    error_message = "Every container runs with a read-only root filesystem."
  }
  assert {
    condition = (toset([for m in jsondecode(aws_ecs_task_definition.service["web"].container_definitions)[0].mountPoints : m.containerPath]) == toset(["/tmp", "/app/web/.next/cache"])
      && toset([for v in aws_ecs_task_definition.service["web"].volume : v.name]) == toset(["tmp", "next-cache"])
    && alltrue([for k in ["game-server", "event-stream"] : [for m in jsondecode(aws_ecs_task_definition.service[k].container_definitions)[0].mountPoints : m.containerPath] == ["/tmp"]]))
    error_message = "The writable paths are explicit volumes: /tmp everywhere, plus the Next.js cache for web."
  }
  assert {
    condition = alltrue([for k, td in aws_ecs_task_definition.service :
      one([for c in jsondecode(td.container_definitions) : c.command if c.name == "volumes-init"]) == concat(["chmod", "1777"], [for m in jsondecode(td.container_definitions)[0].mountPoints : m.containerPath])
    ])
    error_message = "A root init container opens the writable volumes (root-owned 0755 on Fargate) for the non-root app user."
  }
  assert {
    condition     = module.network.flow_log.traffic_type == "ALL"
    error_message = "VPC flow logs record all traffic."
  }
  assert {
    condition     = length(module.network.default_security_group.ingress) == 0 && length(module.network.default_security_group.egress) == 0
    error_message = "The default security group is managed and has no rules."
  }
  assert {
    condition     = aws_lb.this.access_logs[0].enabled && aws_lb.this.access_logs[0].bucket == aws_s3_bucket.alb_logs.id
    error_message = "The ALB writes access logs to its bucket."
  }
  assert {
    condition = (aws_s3_bucket_public_access_block.alb_logs.block_public_policy && aws_s3_bucket_public_access_block.alb_logs.restrict_public_buckets
      && contains([for s in jsondecode(aws_s3_bucket_policy.alb_logs.policy).Statement : s.Sid], "LogDeliveryWrites")
    && one([for s in jsondecode(aws_s3_bucket_policy.alb_logs.policy).Statement : s.Principal.AWS if s.Sid == "ElbAccountWrites"]) == "arn:aws:iam::127311923021:root")
    error_message = "The access-log bucket is private and writable only by ELB log delivery."
  }
  assert {
    condition = (aws_wafv2_web_acl_association.alb.resource_arn == aws_lb.this.arn
      && toset([for r in aws_wafv2_web_acl.this.rule : r.name]) == toset(["rate-limit-per-ip", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"])
    && one([for r in aws_wafv2_web_acl.this.rule : r.statement[0].rate_based_statement[0].limit if r.name == "rate-limit-per-ip"]) == var.waf_rate_limit)
    error_message = "A WAF web ACL with AWS managed rules and a per-IP rate rule protects the ALB."
  }
  assert {
    condition     = toset(module.network.vpc_endpoint_service_names) == toset([for s in ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "s3"] : "com.amazonaws.${var.aws_region}.${s}"])
    error_message = "VPC endpoints for ECR (api, dkr), S3, CloudWatch Logs and Secrets Manager in this region."
  }

  # --- 8. alarms and events -------------------------------------------------------
  assert {
    condition = alltrue([for k, a in aws_cloudwatch_metric_alarm.redis :
      toset([for q in a.metric_query : q.metric[0].dimensions.CacheClusterId if length(q.metric) > 0]) == toset(local.is_production ? ["monkeytown-production-001", "monkeytown-production-002"] : ["monkeytown-development-001"])
    ])
    error_message = "Redis alarms watch every node (the primary moves on failover), not node -001 only."
  }
  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.redis)) == toset(["memory", "cpu", "evictions"]) && aws_elasticache_replication_group.this.notification_topic_arn == aws_sns_topic.alarms.arn
    error_message = "Redis memory, CPU and evictions alarms; ElastiCache events (failover) go to the alarm topic."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.db_memory.metric_name == "FreeableMemory" && aws_cloudwatch_metric_alarm.db_connections.metric_name == "DatabaseConnections" && aws_cloudwatch_metric_alarm.db_connections.threshold == var.service_scaling["game-server"].max * 12
    error_message = "RDS memory and connection alarms."
  }
  assert {
    condition     = contains(aws_db_event_subscription.db.event_categories, "failover") && aws_db_event_subscription.db.sns_topic == aws_sns_topic.alarms.arn
    error_message = "RDS failover events notify the alarm topic."
  }
  assert {
    condition     = contains(jsondecode(aws_cloudwatch_event_rule.ecs_deployment_failed.event_pattern).detail.eventName, "SERVICE_DEPLOYMENT_FAILED") && aws_cloudwatch_event_target.ecs_deployment_failed.arn == aws_sns_topic.alarms.arn
    error_message = "Failed ECS deployments notify the alarm topic."
  }
  assert {
    condition     = alltrue([for a in concat([aws_cloudwatch_metric_alarm.db_memory, aws_cloudwatch_metric_alarm.db_connections], values(aws_cloudwatch_metric_alarm.redis)) : a.alarm_actions == toset([aws_sns_topic.alarms.arn])])
    error_message = "New alarms notify the SNS topic."
  }

  # --- deployers: non-secret configuration, least-privilege OIDC role -------------------
  assert {
    condition = (jsondecode(aws_ssm_parameter.deploy_config.value).region == var.aws_region
      && jsondecode(aws_ssm_parameter.deploy_config.value).services["event-stream"].repository == "monkeytown-${var.environment}/server"
      && length(aws_ssm_parameter.deploy_config.value) < 4096
    && !strcontains(aws_ssm_parameter.deploy_config.value, data.aws_secretsmanager_random_password.redis_auth.random_password))
    error_message = "The deploy configuration (region, repositories, placeholders) fits a standard SSM parameter and holds no secret."
  }
  assert {
    condition = (one(jsondecode(aws_iam_role.deploy[0].assume_role_policy).Statement).Action == "sts:AssumeRoleWithWebIdentity"
    && one(jsondecode(aws_iam_role.deploy[0].assume_role_policy).Statement).Condition.StringLike["token.actions.githubusercontent.com:sub"] == ["repo:monkeytown/monkeytown:environment:${var.environment}"])
    error_message = "CI assumes the deploy role through OIDC, for this environment's subject only."
  }
  assert {
    condition = alltrue([for s in jsondecode(aws_iam_role_policy.deploy[0].policy).Statement :
      alltrue([for a in flatten([s.Action]) : !strcontains(a, "*") && !startswith(a, "secretsmanager:") && !startswith(a, "s3:") && !startswith(a, "iam:Create")])
    ])
    error_message = "The deploy role has no wildcard actions and cannot read secrets or Terraform state."
  }
  assert {
    condition     = length(aws_iam_openid_connect_provider.ci) == (local.is_production ? 1 : 0)
    error_message = "One environment (production) creates the account's OIDC provider; the other reuses it."
  }
}

# A routine apply after bootstrap (no image_tag): Terraform leaves the task definitions
# the CLI owns alone: no new revision, no image lookup.
run "later_apply_leaves_task_definitions_alone" {
  command = plan
  variables {
    image_tag = null
  }
  assert {
    condition     = length(data.aws_ecr_image.bootstrap) == 0
    error_message = "Without image_tag no image is looked up."
  }
  assert {
    condition     = alltrue([for k, td in aws_ecs_task_definition.service : strcontains(jsondecode(td.container_definitions)[0].image, "@sha256:0123456789abcdef")])
    error_message = "Terraform ignores the task definitions after bootstrap (no revision with an empty or stale image)."
  }
}

run "ecs_exec_when_enabled_is_encrypted_and_logged" {
  command = apply
  variables {
    enable_ecs_exec = true
  }
  assert {
    condition = (one(one(aws_ecs_cluster.this.configuration).execute_command_configuration).logging == "OVERRIDE"
      && one(one(aws_ecs_cluster.this.configuration).execute_command_configuration).kms_key_id == aws_kms_key.exec[0].arn
    && one(one(one(aws_ecs_cluster.this.configuration).execute_command_configuration).log_configuration).cloud_watch_log_group_name == aws_cloudwatch_log_group.exec[0].name)
    error_message = "ECS Exec sessions must be KMS-encrypted and logged."
  }
  assert {
    condition     = length(aws_iam_role_policy.task_exec) == 3
    error_message = "Exec permissions exist only when exec is on."
  }
}

run "rejects_a_vpc_too_small_for_the_subnets" {
  command = plan
  variables {
    vpc_cidr = "10.0.0.0/20"
  }
  expect_failures = [var.vpc_cidr]
}
