# Run with: terraform test -var-file=environments/development.tfvars -filter=tests/development.tftest.hcl
# (deploy/cli/test/terraform.test.ts does this). Offline: every AWS call is mocked,
# but every argument is checked against the real provider 5.100 schema.

mock_provider "aws" {
  source = "./tests/mocks"

  # This environment's own values, which the assertions below read.
  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-west-1c", "eu-west-1a", "eu-west-1b"] }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      address            = "monkeytown-development.abc.eu-west-1.rds.amazonaws.com"
      resource_id        = "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!db-1", kms_key_id = "", secret_status = "active" }]
    }
  }
}

# Only for the ephemeral session-secret generator, which the mock cannot stand in for;
# with write_only_secrets = false it has no instance, so this provider is never called.
provider "aws" {
  alias                       = "ephemeral"
  region                      = "eu-west-1"
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
  values = { arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:redis" }
}
override_resource {
  target = aws_secretsmanager_secret.session
  values = { arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:session" }
}
override_resource {
  target = aws_lb_target_group.service["web"]
  values = { arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1", arn_suffix = "targetgroup/web/1" }
}
override_resource {
  target = aws_lb_target_group.service["game-server"]
  values = { arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/game-server/1", arn_suffix = "targetgroup/game-server/1" }
}
override_resource {
  target = aws_lb_target_group.service["event-stream"]
  values = { arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/event-stream/1", arn_suffix = "targetgroup/event-stream/1" }
}

# The bootstrap apply: images by digest from the pushed tag; write-only secrets off
# (mock providers cannot open ephemeral resources, Terraform 1.11).
variables {
  image_tag          = "c0ffee123456"
  write_only_secrets = false
  # No real AWS to run the first apply's pre-deploy task against (migrate.tf).
  bootstrap_pre_deploy = false
}

run "development" {
  command = apply

  # --- one shared NAT gateway (cost), both private subnets use it ----------
  assert {
    condition     = length(module.network.nat_gateway_ids) == 1 && length(module.network.private_subnet_ids) == 2
    error_message = "Development uses a single NAT gateway for two private subnets."
  }
  assert {
    condition     = length(distinct(module.network.private_route_nat_gateway_ids)) == 1 && length(module.network.private_route_nat_gateway_ids) == 2
    error_message = "Both development private subnets must route through the one NAT gateway."
  }
  assert {
    condition     = join(",", local.azs) == "eu-west-1a,eu-west-1b"
    error_message = "AZs must follow the region (data source), not be hard-coded for us-east-1."
  }

  # --- single-AZ data stores, no failover, no deletion protection ----------
  assert {
    condition     = !aws_db_instance.this.multi_az && !aws_db_instance.this.deletion_protection && aws_db_instance.this.skip_final_snapshot
    error_message = "Development Postgres is single-AZ and disposable."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.num_cache_clusters == 1 && !aws_elasticache_replication_group.this.automatic_failover_enabled && !aws_elasticache_replication_group.this.multi_az_enabled
    error_message = "Development Redis is one node without failover or Multi-AZ."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.transit_encryption_enabled
    error_message = "Redis encrypts in transit in every environment."
  }

  # --- same routing, target groups and service shape as production ---------
  assert {
    condition     = aws_lb_listener.http.default_action[0].type == "redirect" && aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS"
    error_message = "HTTP must redirect to HTTPS."
  }
  assert {
    condition     = aws_lb_listener.https.default_action[0].target_group_arn == aws_lb_target_group.service["web"].arn
    error_message = "The default HTTPS route is web."
  }
  assert {
    condition     = one(one(aws_lb_listener_rule.service["game-server"].condition).path_pattern).values == toset(["/api/*"]) && aws_lb_listener_rule.service["game-server"].action[0].target_group_arn == aws_lb_target_group.service["game-server"].arn
    error_message = "/api/* must route to game-server."
  }
  assert {
    condition     = one(one(aws_lb_listener_rule.service["event-stream"].condition).path_pattern).values == toset(["/ws*"]) && aws_lb_listener_rule.service["event-stream"].action[0].target_group_arn == aws_lb_target_group.service["event-stream"].arn
    error_message = "/ws* must route to event-stream."
  }
  assert {
    condition = (alltrue([for k, tg in aws_lb_target_group.service : tg.target_type == "ip"])
      && aws_lb_target_group.service["web"].health_check[0].path == "/health"
      && aws_lb_target_group.service["game-server"].health_check[0].path == "/health/ready"
    && aws_lb_target_group.service["event-stream"].health_check[0].path == "/health/ready")
    error_message = "ip target groups with each service's health path."
  }
  assert {
    condition     = alltrue([for k, s in aws_ecs_service.service : s.launch_type == "FARGATE" && toset(s.network_configuration[0].subnets) == toset(module.network.private_subnet_ids) && !s.network_configuration[0].assign_public_ip && s.deployment_circuit_breaker[0].enable && s.deployment_circuit_breaker[0].rollback])
    error_message = "Fargate services in private subnets with circuit-breaker rollback."
  }
  assert {
    condition     = aws_ecs_service.service["web"].desired_count == 2 && aws_appautoscaling_target.service["web"].max_capacity == 3
    error_message = "Development runs 2 tasks per service."
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.database_from_game_server.referenced_security_group_id == aws_security_group.service["game-server"].id && aws_db_instance.this.vpc_security_group_ids == toset([aws_security_group.database.id])
    error_message = "Postgres accepts only the game-server security group."
  }

  # --- secrets -------------------------------------------------------------
  assert {
    condition     = aws_db_instance.this.manage_master_user_password && aws_db_instance.this.password == null
    error_message = "The database password is RDS-managed."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.auth_token == data.aws_secretsmanager_random_password.redis_auth.random_password && aws_secretsmanager_secret_version.session.secret_string == data.aws_secretsmanager_random_password.session[0].random_password
    error_message = "Redis token and session secret are generated."
  }
  assert {
    condition     = aws_secretsmanager_secret.redis.recovery_window_in_days == 0 && aws_secretsmanager_secret.session.recovery_window_in_days == 0
    error_message = "Development secrets can be deleted immediately on destroy."
  }
  assert {
    condition     = alltrue([for k, g in aws_cloudwatch_log_group.service : g.retention_in_days == 7]) && length(aws_sns_topic_subscription.email) == 0
    error_message = "Development keeps logs 7 days and has no e-mail subscription by default."
  }
}

# Variable validations reject bad input before anything is planned.
run "rejects_unknown_environment" {
  command = plan
  variables {
    environment = "staging"
  }
  expect_failures = [var.environment]
}

run "rejects_idle_timeout_below_heartbeat" {
  command = plan
  variables {
    alb_idle_timeout = 15
  }
  expect_failures = [var.alb_idle_timeout]
}

run "rejects_inconsistent_scaling" {
  command = plan
  variables {
    service_scaling = {
      web          = { desired = 2, min = 3, max = 4 }
      game-server  = { desired = 2, min = 1, max = 3 }
      event-stream = { desired = 2, min = 1, max = 3 }
    }
  }
  expect_failures = [var.service_scaling]
}

run "rejects_a_non_acm_certificate" {
  command = plan
  variables {
    certificate_arn = "arn:aws:iam::111122223333:server-certificate/legacy"
  }
  expect_failures = [var.certificate_arn]
}
