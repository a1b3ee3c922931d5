resource "aws_ecs_cluster" "this" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  service_connect_defaults {
    namespace = aws_service_discovery_http_namespace.this.arn
  }

  dynamic "configuration" {
    for_each = var.enable_ecs_exec ? [1] : []
    content {
      execute_command_configuration {
        kms_key_id = aws_kms_key.exec[0].arn
        logging    = "OVERRIDE"
        log_configuration {
          cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec[0].name
          cloud_watch_encryption_enabled = false # CloudWatch encrypts at rest by default; true needs a KMS-keyed group
        }
      }
    }
  }
}

# Service Connect (docs/operations.md, "Traffic paths"): web reaches the game-server as
# http://game-server:3001 through a proxy ECS adds to both tasks, never through the NAT
# and the public ALB. An HTTP namespace: no private DNS zone is needed, the name exists
# only for tasks in the namespace.
resource "aws_service_discovery_http_namespace" "this" {
  name        = local.name
  description = "Monkeytown ${var.environment}: service-to-service names (ECS Service Connect)"
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 1
    weight            = 100
  }
}

locals {
  # Values for the ${PLACEHOLDERS} in task-definitions/*.json. The deploy CLI fills the
  # same placeholders (from the non-secret deploy configuration, outputs.tf) plus the
  # image, so Terraform's bootstrap revision and every later revision come from one file.
  task_definition_vars = {
    for name, svc in local.services : name => {
      NAME_PREFIX        = local.name
      AWS_REGION         = var.aws_region
      ECR_REGISTRY       = local.ecr_registry
      EXECUTION_ROLE_ARN = aws_iam_role.execution[name].arn
      TASK_ROLE_ARN      = aws_iam_role.task[name].arn
      LOG_GROUP          = aws_cloudwatch_log_group.service[name].name
      LOG_LEVEL          = var.log_level
      MODERATORS         = var.moderators
      PUBLIC_URL         = local.public_url
      DB_HOST            = aws_db_instance.this.address
      DB_PORT            = tostring(aws_db_instance.this.port)
      DB_NAME            = aws_db_instance.this.db_name
      DB_APP_USER        = var.db_app_username
      DB_SECRET_ARN      = local.db_secret_arn
      REDIS_SECRET_ARN   = aws_secretsmanager_secret.redis.arn
      SESSION_SECRET_ARN = aws_secretsmanager_secret.session.arn
      GAME_SERVER_URL    = local.game_server_internal_url
      TRUSTED_PROXIES    = local.trusted_proxies
      # Pool hygiene (variables.tf db_pool): the same names as the app's settings.
      DB_CONNECT_TIMEOUT_MS             = tostring(var.db_pool.connect_timeout_ms)
      DB_STATEMENT_TIMEOUT_MS           = tostring(var.db_pool.statement_timeout_ms)
      DB_QUERY_TIMEOUT_MS               = tostring(var.db_pool.query_timeout_ms)
      DB_IDLE_TIMEOUT_MS                = tostring(var.db_pool.idle_timeout_ms)
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = tostring(var.db_pool.idle_in_transaction_timeout_ms)
      DB_KEEPALIVE_MS                   = tostring(var.db_pool.keepalive_ms)
      DB_MAX_LIFETIME_SECONDS           = tostring(var.db_pool.max_lifetime_seconds)
      # The pre-deploy task's migrations (task-definitions/migrate.json).
      MIGRATION_LOCK_TIMEOUT_MS = tostring(var.migration_lock_timeout_ms)
    }
  }

  # Bootstrap images by digest: the tag pushed by ecr-push.sh must exist (the data
  # source fails the plan otherwise), and the revision names exactly those bytes.
  bootstrap_images = var.image_tag == null ? {} : {
    for repo in local.repositories : repo => "${local.ecr_registry}/${aws_ecr_repository.this[repo].name}@${data.aws_ecr_image.bootstrap[repo].image_digest}"
  }

  task_definitions = {
    for name, svc in local.services : name => jsondecode(templatefile(
      "${path.module}/../../task-definitions/${svc.task_definition}",
      merge(local.task_definition_vars[name], {
        # IMAGE is the whole reference (repository@sha256:...). Without image_tag it is
        # empty: ignored after bootstrap, and on a first apply RegisterTaskDefinition
        # refuses it at once ("Container.image should not be null or empty") before
        # any service is created.
        IMAGE = lookup(local.bootstrap_images, svc.repository, "")
      })
    ))
  }
}

# Fail fast on a fresh account (issue 25): a first apply without -var image_tag used to
# fail only at RegisterTaskDefinition, after the VPC, RDS and ElastiCache had been built
# (half an hour). The deploy configuration parameter (outputs.tf) exists from the first
# successful apply on: without it this is a first apply, and the PLAN stops here.
data "aws_ssm_parameters_by_path" "bootstrapped" {
  path = "/${local.name}"

  lifecycle {
    postcondition {
      condition     = var.image_tag != null || contains(self.names, "/${local.name}/deploy-config")
      error_message = "This looks like the first apply of ${local.name} (no /${local.name}/deploy-config parameter yet): pass -var image_tag=<tag pushed by ecr-push.sh> (docs/operations.md, \"First apply\")."
    }
  }
}

data "aws_ecr_image" "bootstrap" {
  for_each        = var.image_tag == null ? toset([]) : local.repositories
  repository_name = aws_ecr_repository.this[each.key].name
  image_tag       = var.image_tag
}

# Terraform registers each family's FIRST revision only (bootstrap). From then on the
# deploy CLI owns the task definitions: it registers a revision per rollout, by digest,
# and records which ones rolled out successfully (deploy/cli). Terraform ignores every
# later change here, so a routine apply can never register a revision with a stale or
# missing image, and old revisions stay registered (skip_destroy) as rollback targets.
resource "aws_ecs_task_definition" "service" {
  for_each                 = local.task_definitions
  family                   = each.value.family
  requires_compatibilities = each.value.requiresCompatibilities
  network_mode             = each.value.networkMode
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = each.value.executionRoleArn
  task_role_arn            = each.value.taskRoleArn
  container_definitions    = jsonencode(each.value.containerDefinitions)

  runtime_platform {
    operating_system_family = each.value.runtimePlatform.operatingSystemFamily
    cpu_architecture        = each.value.runtimePlatform.cpuArchitecture
  }

  # Writable scratch space for the read-only root filesystems (task ephemeral storage).
  dynamic "volume" {
    for_each = try(each.value.volumes, [])
    content {
      name = volume.value.name
    }
  }

  skip_destroy = true

  lifecycle {
    ignore_changes = all
  }
}

resource "aws_ecs_service" "service" {
  for_each         = local.services
  name             = each.key
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.service[each.key].arn
  desired_count    = var.service_scaling[each.key].desired
  launch_type      = "FARGATE"
  platform_version = "LATEST"
  propagate_tags   = "SERVICE"

  enable_execute_command            = var.enable_ecs_exec
  health_check_grace_period_seconds = 60

  # Rolling update that never drops below the running count (docs/operations.md, "During
  # a deploy"): game-server and event-stream replace ONE task at a time at their minimum
  # count (1/min of the fleet at a time when scaled out), so the event-stream's sockets
  # move in waves the others can take; web (stateless, short requests) all at once.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = local.deployment_maximum_percent[each.key]

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # A release that starts failing requests or health checks rolls itself back, even when
  # its tasks start fine (which is all the circuit breaker looks at).
  alarms {
    enable      = true
    rollback    = true
    alarm_names = [aws_cloudwatch_metric_alarm.deploy_5xx_rate[each.key].alarm_name, aws_cloudwatch_metric_alarm.deploy_unhealthy[each.key].alarm_name]
  }

  network_configuration {
    subnets          = module.network.private_subnet_ids
    security_groups  = [aws_security_group.service[each.key].id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.service[each.key].arn
    container_name   = each.key
    container_port   = each.value.port
  }

  # "server": publishes its named port as <name>:<port> in the namespace; "client": only
  # resolves those names. The proxy listens on the container port (Fargate's default),
  # so the security groups name the same port as before.
  dynamic "service_connect_configuration" {
    for_each = each.value.service_connect == null ? [] : [each.value.service_connect]
    content {
      enabled   = true
      namespace = aws_service_discovery_http_namespace.this.arn
      dynamic "service" {
        for_each = service_connect_configuration.value == "server" ? [each.key] : []
        content {
          port_name      = service.value
          discovery_name = service.value
          client_alias {
            dns_name = service.value
            port     = each.value.port
          }
        }
      }
    }
  }

  # The bootstrap apply waits until every service is steady and FAILS if one does not
  # come up (a first deployment has nothing for the circuit breaker to roll back to).
  wait_for_steady_state = true
  timeouts {
    create = "20m"
    update = "20m"
  }

  # deploy/scripts/ecs-deploy.sh registers revisions and autoscaling moves the
  # count: Terraform must not roll either back on the next apply.
  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }

  # Everything a task needs before its first start, stated explicitly: otherwise a
  # fresh apply can start tasks that fail with ResourceInitializationError (no secret
  # value yet, no permission, no route out, no rule to the database).
  depends_on = [
    aws_lb_listener.https,
    aws_lb_listener_rule.service,
    aws_secretsmanager_secret_version.redis,
    aws_secretsmanager_secret_version.session,
    aws_iam_role_policy.execution,
    aws_iam_role_policy.task_db_connect,
    terraform_data.bootstrap_pre_deploy, # the app role and the schema exist before the first task
    aws_vpc_security_group_egress_rule.service_https,
    aws_vpc_security_group_egress_rule.web_to_endpoints,
    aws_vpc_security_group_egress_rule.web_to_s3,
    aws_vpc_security_group_egress_rule.web_to_game_server,
    aws_vpc_security_group_ingress_rule.game_server_from_web,
    aws_vpc_security_group_egress_rule.game_server_to_db,
    aws_vpc_security_group_egress_rule.service_to_redis,
    aws_vpc_security_group_ingress_rule.service_from_alb,
    aws_vpc_security_group_ingress_rule.database_from_game_server,
    aws_vpc_security_group_ingress_rule.redis_from_service,
    aws_vpc_security_group_egress_rule.alb_to_service,
    module.network, # NAT gateways, private routes, VPC endpoints
  ]
}

resource "aws_appautoscaling_target" "service" {
  for_each           = local.services
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.service[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.service_scaling[each.key].min
  max_capacity       = var.service_scaling[each.key].max
}

resource "aws_appautoscaling_policy" "cpu" {
  for_each           = local.services
  name               = "${local.name}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.service[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.service[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  for_each           = { for k, v in local.services : k => v if v.scale_on_requests }
  name               = "${local.name}-${each.key}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.service[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.service[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.this.arn_suffix}/${aws_lb_target_group.service[each.key].arn_suffix}"
    }
  }
}
