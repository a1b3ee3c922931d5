data "aws_availability_zones" "available" {
  state = "available"
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_caller_identity" "current" {}

locals {
  name          = "monkeytown-${var.environment}"
  is_production = var.environment == "production"
  azs           = slice(sort(data.aws_availability_zones.available.names), 0, 2)

  # One NAT per AZ in production (no single point of failure), one shared NAT
  # in development (ERRATA 13 had this inverted).
  nat_gateway_count = local.is_production ? length(local.azs) : 1

  ecr_registry = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.aws_region}.amazonaws.com"
  public_url   = "https://${var.domain_name}"

  # The service contract shared with task-definitions/*.json and
  # docker-compose.yml (deploy/cli/test/contract.test.ts checks all three agree).
  services = {
    web = {
      port = 3000
      # web's own liveness route: independent of the game-server, so a
      # game-server outage does not take the front end's targets down too.
      health_path     = "/health"
      health_matcher  = "200"
      task_definition = "web.json"
      repository      = "web"
      path_patterns   = []
      rule_priority   = null
      # Service Connect client: reaches the game-server by its internal name (ecs.tf).
      service_connect = "client"
      # Requests drain quickly; nothing long-lived.
      deregistration_delay = 30
      scale_on_requests    = true
    }
    game-server = {
      port            = 3001
      health_path     = "/health/ready"
      health_matcher  = "200"
      task_definition = "server.json"
      repository      = "server"
      path_patterns   = ["/api/*"]
      rule_priority   = 10
      # Published in the Service Connect namespace as http://game-server:3001.
      service_connect      = "server"
      deregistration_delay = 30
      scale_on_requests    = true
    }
    event-stream = {
      port            = 8080
      health_path     = "/health/ready"
      health_matcher  = "200"
      task_definition = "event-stream.json"
      repository      = "server"
      path_patterns   = ["/ws*"]
      rule_priority   = 20
      # Talks to Redis only: no Service Connect proxy.
      service_connect = null
      # The ALB cuts a deregistered target's WebSockets when this delay ends, and ECS
      # sends SIGTERM only then; the event-stream starts its drain when ECS marks the
      # task to stop (task metadata, polled every 2 s) and closes every socket with
      # 1012 over DRAIN_SECONDS 60, well inside these 90 s (docs/operations.md).
      deregistration_delay = 90
      # Sockets are long-lived: request count says nothing about load.
      scale_on_requests = false
    }
  }

  repositories = toset([for s in local.services : s.repository])

  # 100 + ceil(100 / min): at the autoscaling minimum exactly one extra task may start
  # (ECS rounds maximumPercent down: anything less would leave no room and a deployment
  # at 100 % minimum healthy could never move); web takes twice its count at once.
  deployment_maximum_percent = {
    for k, v in local.services : k => k == "web" ? 200 : 100 + ceil(100 / var.service_scaling[k].min)
  }

  # What web's server-side renders call (task-definitions/web.json): the game-server's
  # Service Connect alias, answered by the proxy in web's own task, inside the VPC.
  game_server_internal_url = "http://game-server:3001"

  # Hops the game-server and event-stream believe X-Forwarded-For from (TRUST_PROXY):
  # loopback (the Service Connect proxy in the task hands every request over locally)
  # and the VPC (ALB nodes; web tasks forwarding the player's address). A request from
  # anywhere else cannot pick the address its rate limits are counted under.
  trusted_proxies = "127.0.0.0/8,::1,${var.vpc_cidr}"

  log_retention_days = local.is_production ? 30 : 7
}
