output "alb_dns_name" {
  description = "Point the domain_name DNS record (CNAME/alias) here."
  value       = aws_lb.this.dns_name
}

output "public_url" {
  value = local.public_url
}

output "cluster_name" {
  value = aws_ecs_cluster.this.name
}

output "service_names" {
  description = "ECS service per Monkeytown service."
  value       = { for k, s in aws_ecs_service.service : k => s.name }
}

output "ecr_repository_urls" {
  description = "Image repository per image (web, server)."
  value       = { for k, r in aws_ecr_repository.this : k => r.repository_url }
}

output "task_definition_vars" {
  description = "Placeholder values for task-definitions/*.json per service (IMAGE_TAG comes from the rollout). Feed to: ecs-deploy.sh --vars-file."
  value       = local.task_definition_vars
}

output "database_endpoint" {
  value = aws_db_instance.this.endpoint
}

output "database_secret_arn" {
  description = "RDS-managed master credentials (JSON username/password)."
  value       = local.db_secret_arn
}

output "redis_primary_endpoint" {
  value = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "redis_secret_arn" {
  value = aws_secretsmanager_secret.redis.arn
}

output "session_secret_arn" {
  value = aws_secretsmanager_secret.session.arn
}

output "alarm_topic_arn" {
  description = "Subscribe pagers/chat to this SNS topic."
  value       = aws_sns_topic.alarms.arn
}

output "nat_gateway_count" {
  value = length(module.network.nat_gateway_ids)
}
