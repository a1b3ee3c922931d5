resource "aws_cloudwatch_log_group" "service" {
  for_each          = local.services
  name              = "/ecs/${local.name}/${each.key}"
  retention_in_days = local.log_retention_days
}

resource "aws_sns_topic" "alarms" {
  name = "${local.name}-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == null ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  alarm_actions = [aws_sns_topic.alarms.arn]
}

# Alarms as aws_cloudwatch_metric_alarm (ERRATA 20). Each alarm's meaning and
# first response are in docs/operations.md ("Alarms").

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  alarm_name          = "${local.name}-alb-5xx"
  alarm_description   = "The load balancer itself returned many 5xx (no healthy target, timeouts)."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  dimensions          = { LoadBalancer = aws_lb.this.arn_suffix }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 2
  threshold           = 100
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Issue 25: a WAF block is a 403 the ALB's own metrics and the targets never see. Players
# blocked as one address (what happened when renders went out through the NAT) show up
# here first. WAF's dimensions are the metric names of the web ACL and the rule.
resource "aws_cloudwatch_metric_alarm" "waf_rate_blocked" {
  alarm_name          = "${local.name}-waf-rate-blocked"
  alarm_description   = "The WAF per-IP rate rule blocked more than ${var.waf_blocked_alarm_threshold} requests in 5 minutes: abuse, or players sharing an address (docs/operations.md)."
  namespace           = "AWS/WAFV2"
  metric_name         = "BlockedRequests"
  dimensions          = { WebACL = local.waf_metric_name, Rule = local.waf_rate_rule_metric_name, Region = var.aws_region }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.waf_blocked_alarm_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "latency_p95" {
  alarm_name          = "${local.name}-latency-p95"
  alarm_description   = "95th percentile target response time above 2 s for 10 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { LoadBalancer = aws_lb.this.arn_suffix }
  extended_statistic  = "p95"
  period              = 300
  evaluation_periods  = 2
  threshold           = 2
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  for_each            = local.services
  alarm_name          = "${local.name}-${each.key}-5xx"
  alarm_description   = "${each.key} answered more than 50 requests with 5xx in 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = aws_lb.this.arn_suffix, TargetGroup = aws_lb_target_group.service[each.key].arn_suffix }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 50
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Deployment alarms (issue 25): ECS watches these while a deployment runs (and its bake
# time after) and rolls the service back by itself when one fires (ecs.tf, `alarms`).
# Minute periods so a bad release is caught in ~3 minutes, not the 5-10 of the paging
# alarms above; they notify too, so a rollback is never silent.
resource "aws_cloudwatch_metric_alarm" "deploy_5xx_rate" {
  for_each            = local.services
  alarm_name          = "${local.name}-${each.key}-deploy-5xx-rate"
  alarm_description   = "${each.key}: more than ${var.deployment_5xx_percent} % of requests answered 5xx in 2 of 3 minutes (with at least 20 requests a minute). ECS rolls a deployment back on it."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.deployment_5xx_percent
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    label       = "5xx % of requests"
    expression  = "IF(requests >= 20, 100 * errors / requests, 0)"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = aws_lb.this.arn_suffix, TargetGroup = aws_lb_target_group.service[each.key].arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = aws_lb.this.arn_suffix, TargetGroup = aws_lb_target_group.service[each.key].arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "deploy_unhealthy" {
  for_each            = local.services
  alarm_name          = "${local.name}-${each.key}-deploy-unhealthy"
  alarm_description   = "${each.key}: a target failed its ALB health check in 3 consecutive minutes. ECS rolls a deployment back on it."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = aws_lb.this.arn_suffix, TargetGroup = aws_lb_target_group.service[each.key].arn_suffix }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  for_each            = local.services
  alarm_name          = "${local.name}-${each.key}-unhealthy"
  alarm_description   = "At least one ${each.key} target failed its ALB health check for 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = aws_lb.this.arn_suffix, TargetGroup = aws_lb_target_group.service[each.key].arn_suffix }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "running_tasks" {
  for_each            = local.services
  alarm_name          = "${local.name}-${each.key}-running-tasks"
  alarm_description   = "${each.key} runs fewer tasks than its autoscaling minimum (crash loop, failed pulls, capacity)."
  namespace           = "ECS/ContainerInsights"
  metric_name         = "RunningTaskCount"
  dimensions          = { ClusterName = aws_ecs_cluster.this.name, ServiceName = each.key }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 5
  threshold           = var.service_scaling[each.key].min
  comparison_operator = "LessThanThreshold"
  # No data means no tasks reporting at all: that is the outage itself.
  treat_missing_data = "breaching"
  alarm_actions      = local.alarm_actions
  ok_actions         = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "service_cpu" {
  for_each            = local.services
  alarm_name          = "${local.name}-${each.key}-cpu"
  alarm_description   = "${each.key} average CPU above 85% for 15 minutes although autoscaling should have added tasks (at max?)."
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  dimensions          = { ClusterName = aws_ecs_cluster.this.name, ServiceName = each.key }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 85
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "service_memory" {
  for_each            = local.services
  alarm_name          = "${local.name}-${each.key}-memory"
  alarm_description   = "${each.key} average memory above 85%: a leak or undersized tasks; OOM kills follow."
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  dimensions          = { ClusterName = aws_ecs_cluster.this.name, ServiceName = each.key }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 85
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  alarm_name          = "${local.name}-db-cpu"
  alarm_description   = "Postgres CPU above 80% for 15 minutes."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.this.identifier }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "db_storage" {
  alarm_name          = "${local.name}-db-free-storage"
  alarm_description   = "Postgres has less than 2 GiB free storage."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.this.identifier }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 2 * 1024 * 1024 * 1024
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Redis alarms look at EVERY node and take the maximum: after a failover the primary is
# another node (-002), and an alarm pinned to -001 would watch the replica.
locals {
  redis_node_ids = [for i in range(1, aws_elasticache_replication_group.this.num_cache_clusters + 1) : format("%s-%03d", local.name, i)]
  redis_alarms = {
    memory = {
      metric = "DatabaseMemoryUsagePercentage", stat = "Maximum", threshold = 80, periods = 2
      text   = "Redis memory above 80% on a node: replay buffers or presence keys are not being trimmed."
    }
    cpu = {
      metric = "EngineCPUUtilization", stat = "Average", threshold = 80, periods = 3
      text   = "Redis engine CPU above 80% on a node (Redis is single-threaded: latency for every event)."
    }
    evictions = {
      metric = "Evictions", stat = "Sum", threshold = 0, periods = 1
      text   = "Redis evicted keys: memory is full and replay buffers, rate limits or presence are being lost."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "redis" {
  for_each            = local.redis_alarms
  alarm_name          = "${local.name}-redis-${each.key}"
  alarm_description   = each.value.text
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "worst"
    expression  = "MAX([${join(", ", [for i, _ in local.redis_node_ids : "n${i}"])}])"
    label       = "${each.value.metric} (worst node)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.redis_node_ids
    content {
      id = "n${metric_query.key}"
      metric {
        namespace   = "AWS/ElastiCache"
        metric_name = each.value.metric
        dimensions  = { CacheClusterId = metric_query.value }
        stat        = each.value.stat
        period      = 300
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "db_memory" {
  alarm_name          = "${local.name}-db-freeable-memory"
  alarm_description   = "Postgres has less than 256 MiB freeable memory: swapping and slow queries follow."
  namespace           = "AWS/RDS"
  metric_name         = "FreeableMemory"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.this.identifier }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 2
  threshold           = 256 * 1024 * 1024
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "db_connections" {
  alarm_name        = "${local.name}-db-connections"
  alarm_description = "Postgres connections above the pools' budget: more game-server tasks than planned, or leaking connections."
  namespace         = "AWS/RDS"
  metric_name       = "DatabaseConnections"
  dimensions        = { DBInstanceIdentifier = aws_db_instance.this.identifier }
  statistic         = "Maximum"
  period            = 300
  # Each game-server task holds up to 10 (pool) + 2 (outbox relay) connections.
  threshold           = var.service_scaling["game-server"].max * 12
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# ---- events: failovers and failed deployments page like alarms ------------------------

resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OwnerAccount"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:ListSubscriptionsByTopic"]
        Resource  = aws_sns_topic.alarms.arn
      },
      {
        Sid       = "AwsServicesPublish"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "events.rds.amazonaws.com", "elasticache.amazonaws.com"] }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alarms.arn
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      },
    ]
  })
}

resource "aws_db_event_subscription" "db" {
  name        = "${local.name}-db-events"
  sns_topic   = aws_sns_topic.alarms.arn
  source_type = "db-instance"
  source_ids  = [aws_db_instance.this.identifier]
  # failover: Multi-AZ switched; failure / low storage / maintenance: someone should look.
  event_categories = ["failover", "failure", "low storage", "maintenance", "notification"]
}

resource "aws_cloudwatch_event_rule" "ecs_deployment_failed" {
  name        = "${local.name}-ecs-deployment-failed"
  description = "An ECS deployment of a Monkeytown service failed (circuit breaker) or was rolled back."
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Deployment State Change"]
    resources     = [for s in aws_ecs_service.service : s.id]
    detail        = { eventName = ["SERVICE_DEPLOYMENT_FAILED", "SERVICE_DEPLOYMENT_ROLLBACK_FAILED"] }
  })
}

resource "aws_cloudwatch_event_target" "ecs_deployment_failed" {
  rule = aws_cloudwatch_event_rule.ecs_deployment_failed.name
  arn  = aws_sns_topic.alarms.arn
}

resource "aws_cloudwatch_event_rule" "ecs_task_stopped" {
  name        = "${local.name}-ecs-essential-container-exited"
  description = "A Monkeytown task stopped because an essential container exited (crash, OOM, failed health check)."
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Task State Change"]
    detail = {
      clusterArn = [aws_ecs_cluster.this.arn]
      lastStatus = ["STOPPED"]
      stopCode   = ["EssentialContainerExited"]
    }
  })
}

resource "aws_cloudwatch_event_target" "ecs_task_stopped" {
  rule = aws_cloudwatch_event_rule.ecs_task_stopped.name
  arn  = aws_sns_topic.alarms.arn
}
