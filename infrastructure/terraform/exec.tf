# ECS Exec (var.enable_ecs_exec, off by default): when on, sessions are encrypted with
# a dedicated KMS key and every session's input/output is logged to CloudWatch.

resource "aws_kms_key" "exec" {
  count               = var.enable_ecs_exec ? 1 : 0
  description         = "${local.name} ECS Exec sessions"
  enable_key_rotation = true
}

resource "aws_cloudwatch_log_group" "exec" {
  count             = var.enable_ecs_exec ? 1 : 0
  name              = "/ecs/${local.name}/exec-sessions"
  retention_in_days = 365
}
