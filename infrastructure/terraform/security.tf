# Least-privilege security groups: the ALB is the only thing reachable from
# the internet; each service only accepts its own port from the ALB; Postgres
# only accepts the game-server; Redis only game-server and event-stream.

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Monkeytown ALB: HTTP/HTTPS from the internet"
  vpc_id      = module.network.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from anywhere"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from anywhere (redirected to HTTPS)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_service" {
  for_each                     = local.services
  security_group_id            = aws_security_group.alb.id
  description                  = "ALB to ${each.key} tasks"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = aws_security_group.service[each.key].id
}

resource "aws_security_group" "service" {
  for_each    = local.services
  name        = "${local.name}-${each.key}"
  description = "Monkeytown ${each.key} tasks"
  vpc_id      = module.network.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "service_from_alb" {
  for_each                     = local.services
  security_group_id            = aws_security_group.service[each.key].id
  description                  = "${each.key} port from the ALB only"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = aws_security_group.alb.id
}

# game-server and event-stream need HTTPS out (AWS APIs the VPC has no endpoint for).
# web does not (issue 25): it calls the game-server inside the VPC (below) and reaches
# ECR and CloudWatch Logs through the VPC endpoints, so it has no way out at all.
resource "aws_vpc_security_group_egress_rule" "service_https" {
  for_each          = { for k, v in local.services : k => v if k != "web" }
  security_group_id = aws_security_group.service[each.key].id
  description       = "HTTPS to AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "web_to_endpoints" {
  security_group_id            = aws_security_group.service["web"].id
  description                  = "web to the interface VPC endpoints (ECR, CloudWatch Logs)"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = module.network.endpoints_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "web_to_s3" {
  security_group_id = aws_security_group.service["web"].id
  description       = "web to S3 through the gateway endpoint (ECR image layers)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = module.network.s3_prefix_list_id
}

# Server-side renders: web -> game-server by its Service Connect name, inside the VPC.
resource "aws_vpc_security_group_egress_rule" "web_to_game_server" {
  security_group_id            = aws_security_group.service["web"].id
  description                  = "web to game-server (Service Connect)"
  ip_protocol                  = "tcp"
  from_port                    = local.services["game-server"].port
  to_port                      = local.services["game-server"].port
  referenced_security_group_id = aws_security_group.service["game-server"].id
}

resource "aws_vpc_security_group_ingress_rule" "game_server_from_web" {
  security_group_id            = aws_security_group.service["game-server"].id
  description                  = "game-server port from web tasks (Service Connect)"
  ip_protocol                  = "tcp"
  from_port                    = local.services["game-server"].port
  to_port                      = local.services["game-server"].port
  referenced_security_group_id = aws_security_group.service["web"].id
}

resource "aws_vpc_security_group_egress_rule" "game_server_to_db" {
  security_group_id            = aws_security_group.service["game-server"].id
  description                  = "game-server to Postgres"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.database.id
}

resource "aws_vpc_security_group_egress_rule" "service_to_redis" {
  for_each                     = toset(["game-server", "event-stream"])
  security_group_id            = aws_security_group.service[each.key].id
  description                  = "${each.key} to Redis"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.redis.id
}

resource "aws_security_group" "database" {
  name        = "${local.name}-database"
  description = "Monkeytown Postgres: game-server only"
  vpc_id      = module.network.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_game_server" {
  security_group_id            = aws_security_group.database.id
  description                  = "Postgres from game-server tasks"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.service["game-server"].id
}

resource "aws_security_group" "redis" {
  name        = "${local.name}-redis"
  description = "Monkeytown Redis: game-server and event-stream only"
  vpc_id      = module.network.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_service" {
  for_each                     = toset(["game-server", "event-stream"])
  security_group_id            = aws_security_group.redis.id
  description                  = "Redis from ${each.key} tasks"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.service[each.key].id
}
