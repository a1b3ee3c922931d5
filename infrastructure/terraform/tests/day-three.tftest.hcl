# Issue 25 ("AWS, day three"): production traffic inside the VPC, pool hygiene in the
# task definitions, the WAF alarm. Run with EACH environment's variables, e.g.
#   terraform test -var-file=environments/production.tfvars -filter=tests/day-three.tftest.hcl
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

variables {
  image_tag          = "c0ffee123456"
  write_only_secrets = false
  # No real AWS to run the first apply's pre-deploy task against (migrate.tf).
  bootstrap_pre_deploy = false
}

run "traffic_inside_the_vpc" {
  command = apply

  # --- Service Connect wires web -> game-server ----------------------------------
  assert {
    condition     = one(aws_ecs_cluster.this.service_connect_defaults).namespace == aws_service_discovery_http_namespace.this.arn
    error_message = "The cluster's Service Connect namespace is the stack's own."
  }
  assert {
    condition = (one(aws_ecs_service.service["game-server"].service_connect_configuration).enabled
      && one(aws_ecs_service.service["game-server"].service_connect_configuration).namespace == aws_service_discovery_http_namespace.this.arn
      && one(one(aws_ecs_service.service["game-server"].service_connect_configuration).service).port_name == "game-server"
      && one(one(one(aws_ecs_service.service["game-server"].service_connect_configuration).service).client_alias).dns_name == "game-server"
    && one(one(one(aws_ecs_service.service["game-server"].service_connect_configuration).service).client_alias).port == 3001)
    error_message = "game-server publishes its named port as game-server:3001 in the namespace."
  }
  assert {
    condition = (one(aws_ecs_service.service["web"].service_connect_configuration).enabled
      && one(aws_ecs_service.service["web"].service_connect_configuration).namespace == aws_service_discovery_http_namespace.this.arn
    && length(one(aws_ecs_service.service["web"].service_connect_configuration).service) == 0)
    error_message = "web is a Service Connect client (it resolves game-server, publishes nothing)."
  }
  assert {
    condition     = length(aws_ecs_service.service["event-stream"].service_connect_configuration) == 0
    error_message = "event-stream talks to Redis only: no Service Connect proxy."
  }
  assert {
    condition     = contains(one([for c in jsondecode(aws_ecs_task_definition.service["web"].container_definitions) : c if c.name == "web"]).environment, { name = "GAME_SERVER_URL", value = "http://game-server:3001" })
    error_message = "web's server-side renders call http://game-server:3001 (the Service Connect alias), not the public URL."
  }
  assert {
    condition     = contains([for p in one([for c in jsondecode(aws_ecs_task_definition.service["game-server"].container_definitions) : c if c.name == "game-server"]).portMappings : p.name], "game-server")
    error_message = "The game-server's port mapping carries the name Service Connect publishes."
  }

  # --- security groups: web has no way out but the game-server and the endpoints ---
  assert {
    condition     = !contains(keys(aws_vpc_security_group_egress_rule.service_https), "web")
    error_message = "web has no egress to 0.0.0.0/0."
  }
  assert {
    condition = (aws_vpc_security_group_egress_rule.web_to_game_server.security_group_id == aws_security_group.service["web"].id
      && aws_vpc_security_group_egress_rule.web_to_game_server.referenced_security_group_id == aws_security_group.service["game-server"].id
      && aws_vpc_security_group_egress_rule.web_to_game_server.from_port == 3001 && aws_vpc_security_group_egress_rule.web_to_game_server.to_port == 3001
      && aws_vpc_security_group_ingress_rule.game_server_from_web.security_group_id == aws_security_group.service["game-server"].id
    && aws_vpc_security_group_ingress_rule.game_server_from_web.referenced_security_group_id == aws_security_group.service["web"].id)
    error_message = "web reaches the game-server's port (3001) by security group, both directions."
  }
  assert {
    condition = (aws_vpc_security_group_egress_rule.web_to_endpoints.referenced_security_group_id == module.network.endpoints_security_group_id
      && aws_vpc_security_group_egress_rule.web_to_endpoints.from_port == 443
      && aws_vpc_security_group_egress_rule.web_to_s3.prefix_list_id == module.network.s3_prefix_list_id
    && aws_vpc_security_group_egress_rule.web_to_s3.cidr_ipv4 == null)
    error_message = "web's only HTTPS goes to the VPC endpoints and S3's prefix list (image pulls, logs)."
  }

  # --- the app and the WAF agree on who a client is ----------------------------------
  assert {
    condition = alltrue([for k in ["game-server", "event-stream"] :
      contains(one([for c in jsondecode(aws_ecs_task_definition.service[k].container_definitions) : c if c.name == k]).environment,
    { name = "TRUST_PROXY", value = "127.0.0.0/8,::1,${var.vpc_cidr}" })])
    error_message = "game-server and event-stream trust X-Forwarded-For only from loopback (the Service Connect proxy) and the VPC (ALB, web)."
  }
  assert {
    condition     = contains(one([for c in jsondecode(aws_ecs_task_definition.service["web"].container_definitions) : c if c.name == "web"]).environment, { name = "TRUST_PROXY_HOPS", value = "1" })
    error_message = "web forwards the address the ALB appended (one trusted hop), nothing the browser wrote."
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.waf_rate_blocked.namespace == "AWS/WAFV2"
      && aws_cloudwatch_metric_alarm.waf_rate_blocked.metric_name == "BlockedRequests"
      && aws_cloudwatch_metric_alarm.waf_rate_blocked.dimensions.Rule == one([for r in aws_wafv2_web_acl.this.rule : r.visibility_config[0].metric_name if r.name == "rate-limit-per-ip"])
      && aws_cloudwatch_metric_alarm.waf_rate_blocked.dimensions.WebACL == one(aws_wafv2_web_acl.this.visibility_config).metric_name
    && aws_cloudwatch_metric_alarm.waf_rate_blocked.alarm_actions == toset([aws_sns_topic.alarms.arn]))
    error_message = "An alarm on the WAF rate rule's blocked requests, named by the rule's and the ACL's metric names, notifies the alarm topic."
  }

  # --- pool settings reach the task definition -----------------------------------------
  assert {
    condition = alltrue([for name, value in {
      DATABASE_CONNECT_TIMEOUT_MS             = "3000"
      DATABASE_STATEMENT_TIMEOUT_MS           = "5000"
      DATABASE_QUERY_TIMEOUT_MS               = "6000"
      DATABASE_IDLE_TIMEOUT_MS                = "30000"
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = "10000"
      DATABASE_KEEPALIVE_MS                   = "10000"
      DATABASE_MAX_LIFETIME_SECONDS           = "900"
      } : contains(one([for c in jsondecode(aws_ecs_task_definition.service["game-server"].container_definitions) : c if c.name == "game-server"]).environment,
    { name = name, value = value })])
    error_message = "The game-server's task definition carries every pool setting (the documented defaults)."
  }
}

run "releases_that_stop_themselves" {
  command = apply

  assert {
    condition = alltrue([for k, svc in aws_ecs_service.service :
      one(svc.alarms).enable && one(svc.alarms).rollback
      && toset(one(svc.alarms).alarm_names) == toset([aws_cloudwatch_metric_alarm.deploy_5xx_rate[k].alarm_name, aws_cloudwatch_metric_alarm.deploy_unhealthy[k].alarm_name])
    ])
    error_message = "Every service rolls a deployment back on its own 5xx-rate and unhealthy-target alarms."
  }
  assert {
    condition = alltrue([for k, a in aws_cloudwatch_metric_alarm.deploy_5xx_rate :
      one([for q in a.metric_query : q.expression if q.id == "rate"]) == "IF(requests >= 20, 100 * errors / requests, 0)"
      && one([for q in a.metric_query : one(q.metric).metric_name if q.id == "errors"]) == "HTTPCode_Target_5XX_Count"
      && one([for q in a.metric_query : one(q.metric).dimensions.TargetGroup if q.id == "errors"]) == aws_lb_target_group.service[k].arn_suffix
      && a.threshold == var.deployment_5xx_percent
    ])
    error_message = "The deployment 5xx alarm is a rate of the service's own target group's requests."
  }
  assert {
    condition = alltrue([for k, svc in aws_ecs_service.service :
      svc.deployment_minimum_healthy_percent == 100
      && floor(var.service_scaling[k].min * svc.deployment_maximum_percent / 100) >= var.service_scaling[k].min + 1
      && (k == "web" || floor(var.service_scaling[k].min * svc.deployment_maximum_percent / 100) == var.service_scaling[k].min + 1)
    ])
    error_message = "Rolling updates keep 100 % healthy, always have room for one new task, and game-server/event-stream replace exactly one at a time at their minimum count."
  }

  # The drain budget (docs/operations.md). game-server drains from SIGTERM, which ECS sends
  # when the deregistration delay ends: the drain outlasts the delay. event-stream drains
  # from the moment ECS marks the task to stop (polled every 2 s) and must have told every
  # socket 1012 before the ALB cuts them at the end of the delay. Both: drain + close
  # grace (10 s) + the forced exit (5 s) fit in stopTimeout.
  assert {
    condition = (aws_lb_target_group.service["game-server"].deregistration_delay < tonumber(one([for e in one([for c in jsondecode(aws_ecs_task_definition.service["game-server"].container_definitions) : c if c.name == "game-server"]).environment : e.value if e.name == "DRAIN_SECONDS"]))
    && 2 + tonumber(one([for e in one([for c in jsondecode(aws_ecs_task_definition.service["event-stream"].container_definitions) : c if c.name == "event-stream"]).environment : e.value if e.name == "DRAIN_SECONDS"])) < aws_lb_target_group.service["event-stream"].deregistration_delay)
    error_message = "game-server: deregistration delay < DRAIN_SECONDS; event-stream: 2 s poll + DRAIN_SECONDS < deregistration delay."
  }
  assert {
    condition = alltrue([for k in ["game-server", "event-stream"] :
      tonumber(one([for e in one([for c in jsondecode(aws_ecs_task_definition.service[k].container_definitions) : c if c.name == k]).environment : e.value if e.name == "DRAIN_SECONDS"])) + 15 <= one([for c in jsondecode(aws_ecs_task_definition.service[k].container_definitions) : c if c.name == k]).stopTimeout
    ])
    error_message = "DRAIN_SECONDS + 15 <= stopTimeout for game-server and event-stream."
  }
}

run "pool_settings_are_configurable" {
  command = apply
  # A fresh stack: Terraform registers only a family's first revision (ecs.tf).
  state_key = "configured_pool"
  variables {
    db_pool = { connect_timeout_ms = 1500, statement_timeout_ms = 8000, query_timeout_ms = 9000, max_lifetime_seconds = 600 }
  }
  assert {
    condition = alltrue([for name, value in {
      DATABASE_CONNECT_TIMEOUT_MS   = "1500"
      DATABASE_STATEMENT_TIMEOUT_MS = "8000"
      DATABASE_QUERY_TIMEOUT_MS     = "9000"
      DATABASE_MAX_LIFETIME_SECONDS = "600"
      DATABASE_KEEPALIVE_MS         = "10000"
      } : contains(one([for c in jsondecode(aws_ecs_task_definition.service["game-server"].container_definitions) : c if c.name == "game-server"]).environment,
    { name = name, value = value })])
    error_message = "db_pool reaches the task definition (unset fields keep their defaults)."
  }
  assert {
    condition     = output.deploy_config.common_vars.DB_CONNECT_TIMEOUT_MS == "1500"
    error_message = "The deploy configuration carries the same pool settings, so later revisions (deploy CLI) keep them."
  }
}

run "rejects_a_query_timeout_below_the_statement_timeout" {
  command = plan
  variables {
    db_pool = { statement_timeout_ms = 5000, query_timeout_ms = 4000 }
  }
  expect_failures = [var.db_pool]
}

# A fresh account's first apply without image_tag stops at PLAN, before anything exists.
run "first_apply_without_image_tag_fails_at_plan" {
  command = plan
  variables {
    image_tag = null
  }
  override_data {
    target = data.aws_ssm_parameters_by_path.bootstrapped
    values = { names = [] }
  }
  expect_failures = [data.aws_ssm_parameters_by_path.bootstrapped]
}

run "later_apply_without_image_tag_plans" {
  command = plan
  variables {
    image_tag = null
  }
  assert {
    condition     = length(data.aws_ecr_image.bootstrap) == 0
    error_message = "A bootstrapped stack plans without image_tag (and looks no image up)."
  }
}

# A rollback target's image outlives the newest-50 rule: the rule that selects images a
# rollout kept (deploy/cli's deployed-<digest> tag) comes first, the catch-all last.
run "rollback_images_outlive_the_newest_50_rule" {
  command = plan
  assert {
    condition = alltrue([for r in aws_ecr_lifecycle_policy.this : (
      jsondecode(r.policy).rules[0].selection.tagPrefixList == ["deployed-"] &&
      jsondecode(r.policy).rules[0].selection.tagStatus == "tagged" &&
      jsondecode(r.policy).rules[length(jsondecode(r.policy).rules) - 1].selection.tagStatus == "any" &&
      alltrue([for i, rule in jsondecode(r.policy).rules : rule.rulePriority == i + 1])
    )])
    error_message = "Every repository's lifecycle policy keeps deployed-* images by its first rule and expires by count only in its last."
  }
}
