resource "aws_db_subnet_group" "this" {
  name       = local.name
  subnet_ids = module.network.database_subnet_ids
}

resource "aws_db_parameter_group" "this" {
  name   = "${local.name}-postgres15"
  family = "postgres15"

  # Refuse unencrypted connections (the task definitions connect with TLS).
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
}

resource "aws_db_instance" "this" {
  identifier     = local.name
  engine         = "postgres"
  engine_version = "15"
  instance_class = var.db_instance_class

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_allocated_storage * 5
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name  = "monkeytown"
  username = var.db_username
  port     = 5432
  # RDS generates, stores and rotates the master password in Secrets Manager
  # (ERRATA 15): no password argument anywhere. Only the db-init container uses it;
  # the game-server logs in as its own role (var.db_app_username) with IAM tokens,
  # so a rotation of this password never reaches the app (docs/operations.md).
  manage_master_user_password         = true
  iam_database_authentication_enabled = true
  # The CA the image's bundle (global-bundle.pem) covers; clients verify against it.
  ca_cert_identifier = "rds-ca-rsa2048-g1"

  db_subnet_group_name   = aws_db_subnet_group.this.name
  parameter_group_name   = aws_db_parameter_group.this.name
  vpc_security_group_ids = [aws_security_group.database.id]
  publicly_accessible    = false

  multi_az                   = local.is_production
  backup_retention_period    = local.is_production ? 7 : 1
  backup_window              = "03:00-04:00"
  maintenance_window         = "sun:04:30-sun:05:30"
  deletion_protection        = local.is_production
  skip_final_snapshot        = !local.is_production
  final_snapshot_identifier  = local.is_production ? "${local.name}-final" : null
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true
  apply_immediately          = !local.is_production

  performance_insights_enabled = local.is_production
}

# RDS rotates its managed master secret every 7 days unless told otherwise. Only
# db-init reads it, at each game-server task start, so rotations are invisible to the
# app; a slower deliberate schedule still limits churn. rotate_immediately = false:
# creating (or changing) the schedule must not rotate at once and race the first tasks.
resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id          = local.db_secret_arn
  rotate_immediately = false

  rotation_rules {
    automatically_after_days = var.db_password_rotation_days
  }
}
