resource "aws_lb" "this" {
  name               = local.name
  load_balancer_type = "application"
  internal           = false
  subnets            = module.network.public_subnet_ids
  security_groups    = [aws_security_group.alb.id]

  # Above the WebSocket heartbeat, or idle sockets would be cut by the ALB.
  idle_timeout               = var.alb_idle_timeout
  drop_invalid_header_fields = true
  enable_deletion_protection = local.is_production

  access_logs {
    bucket  = aws_s3_bucket.alb_logs.id
    prefix  = "alb"
    enabled = true
  }

  # The bucket policy must let the load balancer write before logging is switched on.
  depends_on = [aws_s3_bucket_policy.alb_logs]
}

# One target group per service, each with its own health check (ERRATA 17).
resource "aws_lb_target_group" "service" {
  for_each             = local.services
  name                 = "mt-${var.environment}-${each.key}"
  port                 = each.value.port
  protocol             = "HTTP"
  target_type          = "ip" # Fargate tasks register by ENI address
  vpc_id               = module.network.vpc_id
  deregistration_delay = each.value.deregistration_delay

  health_check {
    path                = each.value.health_path
    port                = "traffic-port"
    matcher             = each.value.health_matcher
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  # Everything not matched by a rule goes to the Next.js front end.
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service["web"].arn
  }
}

resource "aws_lb_listener_rule" "service" {
  for_each     = { for k, v in local.services : k => v if length(v.path_patterns) > 0 }
  listener_arn = aws_lb_listener.https.arn
  priority     = each.value.rule_priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service[each.key].arn
  }

  condition {
    path_pattern {
      values = each.value.path_patterns
    }
  }
}
