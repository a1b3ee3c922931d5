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

# Tasks need HTTPS out (ECR, CloudWatch Logs, Secrets Manager through the NAT;
# web also calls the game-server through the public ALB name).
resource "aws_vpc_security_group_egress_rule" "service_https" {
  for_each          = local.services
  security_group_id = aws_security_group.service[each.key].id
  description       = "HTTPS to AWS APIs and the public ALB"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
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
