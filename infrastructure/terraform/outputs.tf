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

# Everything the deploy scripts need, and nothing secret (ARNs and host names only).
# Published to SSM so deployers never read Terraform state (which holds the Redis token).
locals {
  service_only_vars = ["EXECUTION_ROLE_ARN", "TASK_ROLE_ARN", "LOG_GROUP"]
  deploy_config = {
    environment = var.environment
    region      = var.aws_region
    account     = data.aws_caller_identity.current.account_id
    cluster     = aws_ecs_cluster.this.name
    public_url  = local.public_url
    # Placeholders shared by every task definition; each service adds its own below.
    common_vars = { for k, v in local.task_definition_vars["game-server"] : k => v if !contains(local.service_only_vars, k) }
    services = {
      for k, v in local.services : k => {
        # The service's name is its key (ecs.tf): no reference to the service itself, so
        # the first apply's pre-deploy step (migrate.tf) can run before the services exist.
        service         = k
        family          = "${local.name}-${k}"
        task_definition = v.task_definition
        repository      = aws_ecr_repository.this[v.repository].name
        vars            = { for n in local.service_only_vars : n => local.task_definition_vars[k][n] }
      }
    }
    # The one-off pre-deploy task (migrate.tf) the deploy CLI runs before any service.
    migrate = local.migrate_config
  }
}

resource "aws_ssm_parameter" "deploy_config" {
  name        = "/${local.name}/deploy-config"
  description = "Monkeytown ${var.environment} deploy configuration (non-secret), read by deploy/scripts"
  type        = "String"
  value       = jsonencode(local.deploy_config)
}

output "deploy_config" {
  description = "Non-secret deploy configuration (also in SSM at deploy_config_parameter): ecs-deploy.sh --config FILE."
  value       = local.deploy_config
}

output "deploy_config_parameter" {
  value = aws_ssm_parameter.deploy_config.name
}

output "deploy_role_arn" {
  description = "Role CI assumes through OIDC to run deploy/scripts (null without ci_oidc)."
  value       = one(aws_iam_role.deploy[*].arn)
}

output "aws_region" {
  value = var.aws_region
}

output "database_endpoint" {
  value = aws_db_instance.this.endpoint
}

output "database_secret_arn" {
  description = "RDS-managed master credentials (JSON username/password): readable only by the pre-deploy task's execution role (and administrators)."
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
