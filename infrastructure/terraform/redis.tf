resource "aws_elasticache_subnet_group" "this" {
  name       = local.name
  subnet_ids = module.network.database_subnet_ids
}

# A replication group (ERRATA 16): production has a primary and a replica in
# different AZs with automatic failover; development a single node (failover
# and Multi-AZ need at least two).
resource "aws_elasticache_replication_group" "this" {
  replication_group_id = local.name
  description          = "Monkeytown pub/sub, replay buffer, rate limits, presence"
  engine               = "redis"
  engine_version       = "7.1"
  parameter_group_name = "default.redis7"
  node_type            = var.redis_node_type
  port                 = 6379

  num_cache_clusters         = local.is_production ? 2 : 1
  automatic_failover_enabled = local.is_production
  multi_az_enabled           = local.is_production

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.redis.id]

  # Clients connect with rediss:// and the auth token from Secrets Manager.
  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  auth_token                 = data.aws_secretsmanager_random_password.redis_auth.random_password

  # Failovers, node replacements and maintenance go straight to the alarm topic.
  notification_topic_arn = aws_sns_topic.alarms.arn

  snapshot_retention_limit   = local.is_production ? 3 : 0
  auto_minor_version_upgrade = true
  apply_immediately          = !local.is_production

  lifecycle {
    # Generated anew each plan; rotation is a deliberate procedure.
    ignore_changes = [auth_token]
  }
}
