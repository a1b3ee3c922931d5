# Run with: terraform test -var-file=environments/production.tfvars -filter=tests/production.tftest.hcl
# (deploy/cli/test/terraform.test.ts does this). Offline: every AWS call is mocked,
# but every argument is checked against the real provider 5.100 schema.

mock_provider "aws" {
  source = "./tests/mocks"

  # This environment's own values, which the assertions below read.
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1c", "us-east-1a", "us-east-1b"] }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      address            = "monkeytown-production.abc.us-east-1.rds.amazonaws.com"
      resource_id        = "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-1", kms_key_id = "", secret_status = "active" }]
    }
  }
}

# Only for the ephemeral session-secret generator, which the mock cannot stand in for;
# with write_only_secrets = false it has no instance, so this provider is never called.
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

# Distinct ARNs so "exactly these secrets" assertions can tell them apart.
override_resource {
  target = aws_secretsmanager_secret.redis
  values = { arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:redis" }
}
override_resource {
  target = aws_secretsmanager_secret.session
  values = { arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:session" }
}
override_resource {
  target = aws_lb_target_group.service["web"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/1", arn_suffix = "targetgroup/web/1" }
}
override_resource {
  target = aws_lb_target_group.service["game-server"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/game-server/1", arn_suffix = "targetgroup/game-server/1" }
}
override_resource {
  target = aws_lb_target_group.service["event-stream"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/event-stream/1", arn_suffix = "targetgroup/event-stream/1" }
}

# The bootstrap apply: images by digest from the pushed tag; write-only secrets off
# (mock providers cannot open ephemeral resources, Terraform 1.11).
variables {
  image_tag          = "c0ffee123456"
  write_only_secrets = false
  # No real AWS to run the first apply's pre-deploy task against (migrate.tf).
  bootstrap_pre_deploy = false
}

run "production" {
  command = apply

  # --- network: two AZs from the data source, a NAT gateway per AZ ---------
  assert {
    condition     = length(module.network.private_subnet_ids) == 2 && length(module.network.public_subnet_ids) == 2 && length(module.network.database_subnet_ids) == 2
    error_message = "Expected public, private and database subnets in two AZs."
  }
  assert {
    condition     = join(",", local.azs) == "us-east-1a,us-east-1b"
    error_message = "AZs must come from the aws_availability_zones data source (first two, sorted)."
  }
  assert {
    condition     = length(module.network.nat_gateway_ids) == 2 && length(distinct(module.network.nat_gateway_subnet_ids)) == 2
    error_message = "Production needs one NAT gateway in each AZ's public subnet."
  }
  assert {
    condition     = length(distinct(module.network.private_route_nat_gateway_ids)) == 2
    error_message = "Each production private subnet must route through its own AZ's NAT gateway."
  }

  # --- RDS: Multi-AZ, backups, deletion protection, managed password ------
  assert {
    condition     = aws_db_instance.this.multi_az && aws_db_instance.this.deletion_protection && aws_db_instance.this.backup_retention_period >= 7 && !aws_db_instance.this.skip_final_snapshot
    error_message = "Production Postgres must be Multi-AZ with backups, deletion protection and a final snapshot."
  }
  assert {
    condition     = aws_db_instance.this.engine == "postgres" && startswith(aws_db_instance.this.engine_version, "15") && aws_db_parameter_group.this.family == "postgres15"
    error_message = "Postgres 15 with a postgres15 parameter group expected."
  }
  assert {
    condition     = aws_db_instance.this.db_subnet_group_name == aws_db_subnet_group.this.name && toset(aws_db_subnet_group.this.subnet_ids) == toset(module.network.database_subnet_ids) && !aws_db_instance.this.publicly_accessible
    error_message = "Postgres must live in the database subnets and not be public."
  }

  # --- Redis: two nodes, failover and Multi-AZ, TLS ------------------------
  assert {
    condition     = aws_elasticache_replication_group.this.num_cache_clusters == 2 && aws_elasticache_replication_group.this.automatic_failover_enabled && aws_elasticache_replication_group.this.multi_az_enabled
    error_message = "Production Redis must have 2 nodes with automatic failover and Multi-AZ."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.transit_encryption_enabled && aws_elasticache_replication_group.this.at_rest_encryption_enabled
    error_message = "Redis must encrypt in transit (rediss://) and at rest."
  }
  assert {
    condition     = startswith(jsondecode(aws_secretsmanager_secret_version.redis.secret_string).url, "rediss://:")
    error_message = "REDIS_URL in Secrets Manager must be rediss:// with the auth token."
  }

  # --- ALB: redirect, HTTPS default to web, path rules ---------------------
  assert {
    condition     = aws_lb_listener.http.port == 80 && aws_lb_listener.http.default_action[0].type == "redirect" && aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS" && aws_lb_listener.http.default_action[0].redirect[0].port == "443"
    error_message = "HTTP :80 must redirect to HTTPS :443."
  }
  assert {
    condition     = aws_lb_listener.https.protocol == "HTTPS" && aws_lb_listener.https.certificate_arn == var.certificate_arn && aws_lb_listener.https.default_action[0].target_group_arn == aws_lb_target_group.service["web"].arn
    error_message = "HTTPS listener must use the ACM certificate and default to web."
  }
  assert {
    condition     = one(one(aws_lb_listener_rule.service["game-server"].condition).path_pattern).values == toset(["/api/*"]) && aws_lb_listener_rule.service["game-server"].action[0].target_group_arn == aws_lb_target_group.service["game-server"].arn && aws_lb_listener_rule.service["game-server"].listener_arn == aws_lb_listener.https.arn
    error_message = "/api/* must route to the game-server target group on the HTTPS listener."
  }
  assert {
    condition     = one(one(aws_lb_listener_rule.service["event-stream"].condition).path_pattern).values == toset(["/ws*"]) && aws_lb_listener_rule.service["event-stream"].action[0].target_group_arn == aws_lb_target_group.service["event-stream"].arn
    error_message = "/ws* must route to the event-stream target group."
  }
  assert {
    condition     = length(aws_lb_listener_rule.service) == 2
    error_message = "Only /api/* and /ws* need rules; everything else is the default (web)."
  }
  assert {
    condition     = aws_lb.this.idle_timeout > 20
    error_message = "ALB idle timeout must exceed the 20 s WebSocket heartbeat (WS_HEARTBEAT_MS)."
  }

  # --- target groups: ip targets, own health path --------------------------
  assert {
    condition     = alltrue([for k, tg in aws_lb_target_group.service : tg.target_type == "ip"])
    error_message = "Fargate target groups must use target_type ip."
  }
  assert {
    condition = (aws_lb_target_group.service["web"].health_check[0].path == "/health" && aws_lb_target_group.service["web"].port == 3000
      && aws_lb_target_group.service["game-server"].health_check[0].path == "/health/ready" && aws_lb_target_group.service["game-server"].port == 3001
    && aws_lb_target_group.service["event-stream"].health_check[0].path == "/health/ready" && aws_lb_target_group.service["event-stream"].port == 8080)
    error_message = "Each target group needs its service's port and health path."
  }

  # --- ECS services --------------------------------------------------------
  assert {
    condition     = alltrue([for k, s in aws_ecs_service.service : s.launch_type == "FARGATE" && toset(s.network_configuration[0].subnets) == toset(module.network.private_subnet_ids) && !s.network_configuration[0].assign_public_ip])
    error_message = "Services must be Fargate in the private subnets without public IPs."
  }
  assert {
    condition     = alltrue([for k, s in aws_ecs_service.service : s.deployment_circuit_breaker[0].enable && s.deployment_circuit_breaker[0].rollback && s.health_check_grace_period_seconds > 0])
    error_message = "Services need the deployment circuit breaker with rollback and a health check grace period."
  }
  assert {
    condition     = alltrue([for k, s in aws_ecs_service.service : one(s.load_balancer).target_group_arn == aws_lb_target_group.service[k].arn && one(s.load_balancer).container_port == local.services[k].port])
    error_message = "Each service must register its container port with its own target group."
  }
  assert {
    condition     = aws_ecs_service.service["game-server"].desired_count == 4 && aws_appautoscaling_target.service["game-server"].min_capacity == 2
    error_message = "Production runs 4 tasks per service, autoscaling from 2."
  }
  assert {
    condition     = length(aws_appautoscaling_policy.cpu) == 3 && length(aws_appautoscaling_policy.requests) == 2
    error_message = "CPU scaling on all services, request scaling on web and game-server."
  }
  assert {
    condition     = one([for s in aws_ecs_cluster.this.setting : s.value if s.name == "containerInsights"]) == "enabled"
    error_message = "Container Insights must be enabled."
  }

  # --- security groups -----------------------------------------------------
  assert {
    condition     = aws_vpc_security_group_ingress_rule.database_from_game_server.security_group_id == aws_security_group.database.id && aws_vpc_security_group_ingress_rule.database_from_game_server.referenced_security_group_id == aws_security_group.service["game-server"].id && aws_vpc_security_group_ingress_rule.database_from_game_server.cidr_ipv4 == null
    error_message = "Postgres must accept connections only from the game-server security group."
  }
  assert {
    condition     = aws_db_instance.this.vpc_security_group_ids == toset([aws_security_group.database.id])
    error_message = "Postgres must use only the database security group."
  }
  assert {
    condition     = alltrue([for k, r in aws_vpc_security_group_ingress_rule.service_from_alb : r.referenced_security_group_id == aws_security_group.alb.id && r.from_port == local.services[k].port])
    error_message = "Services must accept only their own port and only from the ALB."
  }
  assert {
    condition     = toset([for r in aws_vpc_security_group_ingress_rule.redis_from_service : r.referenced_security_group_id]) == toset([aws_security_group.service["game-server"].id, aws_security_group.service["event-stream"].id])
    error_message = "Redis must accept only game-server and event-stream."
  }

  # --- secrets: none in plaintext -----------------------------------------
  assert {
    condition     = aws_db_instance.this.manage_master_user_password && aws_db_instance.this.password == null
    error_message = "The database password must be RDS-managed, never an argument."
  }
  assert {
    condition     = aws_secretsmanager_secret_rotation.db.secret_id == "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-1" && aws_secretsmanager_secret_rotation.db.rotation_rules[0].automatically_after_days == 30 && !aws_secretsmanager_secret_rotation.db.rotate_immediately
    error_message = "The RDS-managed secret rotates on the configured schedule, not RDS's 7-day default."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.auth_token == data.aws_secretsmanager_random_password.redis_auth.random_password
    error_message = "The Redis auth token must be generated, not written in configuration."
  }
  assert {
    condition     = aws_secretsmanager_secret_version.session.secret_string == data.aws_secretsmanager_random_password.session[0].random_password
    error_message = "SESSION_SECRET must be generated, not written in configuration."
  }
  assert {
    condition = alltrue(flatten([for k, td in aws_ecs_task_definition.service : [
      for c in jsondecode(td.container_definitions) : [
        # DATABASE_URL names the app role and host only: IAM tokens, no password.
        for e in try(c.environment, []) : !can(regex("PASSWORD|SECRET|TOKEN|REDIS_URL", e.name)) && !can(regex("://[^/@]*:[^/@]*@", e.value))
      ]
    ]]))
    error_message = "No task definition may pass a password, secret, token or credentialed URL as a plain environment variable."
  }
  assert {
    condition = (toset([for s in jsondecode(aws_ecs_task_definition.service["game-server"].container_definitions)[0].secrets : s.name]) == toset(["REDIS_URL", "SESSION_SECRET"])
    && !strcontains(aws_ecs_task_definition.service["game-server"].container_definitions, "DB_MASTER"))
    error_message = "The game-server container gets REDIS_URL and SESSION_SECRET; no container of the game-server task gets the master credentials (the pre-deploy task does: migrate.tf)."
  }

  assert {
    condition = (jsondecode(aws_ecs_task_definition.service["game-server"].container_definitions)[0].command == ["node", "dist/game-server.js"]
      && one([for e in jsondecode(aws_ecs_task_definition.service["game-server"].container_definitions)[0].environment : e.value if e.name == "DATABASE_URL"]) == "postgres://monkeytown_app@monkeytown-production.abc.us-east-1.rds.amazonaws.com:5432/monkeytown?sslmode=verify-full&sslrootcert=/app/server/certs/rds-global-bundle.pem"
    && jsondecode(aws_ecs_task_definition.service["game-server"].container_definitions)[0].dependsOn == [{ containerName = "volumes-init", condition = "SUCCESS" }])
    error_message = "The game-server connects as monkeytown_app (not the master user) with verified TLS; no db-init container any more (the pre-deploy task set the role up)."
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.service["web"].container_definitions)[0].image == "111122223333.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" && aws_ecs_task_definition.service["web"].family == "monkeytown-production-web"
    error_message = "Terraform's bootstrap revision comes from task-definitions/web.json with this account, region and the image_tag's digest."
  }

  # --- IAM: execution role reads exactly the secrets it needs --------------
  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.execution["web"].policy).Statement : s if s.Sid == "Secrets"]) == 0
    error_message = "web's execution role must not read any secret."
  }
  assert {
    condition = toset(one([for s in jsondecode(aws_iam_role_policy.execution["game-server"].policy).Statement : s.Resource if s.Sid == "Secrets"])) == toset([
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:redis",
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:session",
    ])
    error_message = "game-server's execution role reads exactly the Redis and session secrets (not the RDS master secret: issue 25)."
  }
  assert {
    condition = toset(one([for s in jsondecode(aws_iam_role_policy.execution["event-stream"].policy).Statement : s.Resource if s.Sid == "Secrets"])) == toset([
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:redis",
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:session",
    ])
    error_message = "event-stream's execution role reads exactly the Redis and session secrets."
  }
  assert {
    condition     = alltrue([for k, p in aws_iam_role_policy.execution : !strcontains(p.policy, "kms:Decrypt")])
    error_message = "No blanket kms:Decrypt (ERRATA 18)."
  }

  # --- ECR, logs, alarms ---------------------------------------------------
  assert {
    condition     = alltrue([for k, r in aws_ecr_repository.this : r.image_tag_mutability == "IMMUTABLE" && r.image_scanning_configuration[0].scan_on_push]) && length(aws_ecr_repository.this) == 2
    error_message = "ECR repositories (web, server) need immutable tags and scan on push."
  }
  assert {
    condition     = alltrue([for k, g in aws_cloudwatch_log_group.service : g.retention_in_days == 30])
    error_message = "Production logs are kept 30 days."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.latency_p95.extended_statistic == "p95" && aws_cloudwatch_metric_alarm.latency_p95.statistic == null && aws_cloudwatch_metric_alarm.alb_5xx.metric_name == "HTTPCode_ELB_5XX_Count" && aws_cloudwatch_metric_alarm.alb_5xx.dimensions.LoadBalancer == aws_lb.this.arn_suffix
    error_message = "Alarms must use extended_statistic p95, HTTPCode_ELB_5XX_Count and the ALB arn_suffix (ERRATA 20)."
  }
  assert {
    condition     = alltrue([for a in concat([aws_cloudwatch_metric_alarm.alb_5xx, aws_cloudwatch_metric_alarm.latency_p95], values(aws_cloudwatch_metric_alarm.running_tasks)) : a.alarm_actions == toset([aws_sns_topic.alarms.arn]) && a.treat_missing_data != null])
    error_message = "Alarms must notify the SNS topic and say how to treat missing data."
  }
  assert {
    condition     = length(aws_sns_topic_subscription.email) == 1
    error_message = "The production example subscribes the on-call address."
  }
}
