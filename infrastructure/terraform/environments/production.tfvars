# terraform plan -var-file=environments/production.tfvars
environment       = "production"
aws_region        = "us-east-1"
domain_name       = "play.monkeytown.example.com"
certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
db_instance_class = "db.t3.medium"
redis_node_type   = "cache.m5.large"
log_level         = "info"
alarm_email       = "oncall@monkeytown.example.com"

# Spec: 4 tasks per service in production; autoscaling between min and max.
service_scaling = {
  web          = { desired = 4, min = 2, max = 12 }
  game-server  = { desired = 4, min = 2, max = 12 }
  event-stream = { desired = 4, min = 2, max = 12 }
}

# CI (GitHub Actions) deploys through OIDC with the least-privilege deploy role.
# Production creates the account's GitHub OIDC provider; development reuses it.
ci_oidc = {
  issuer_url      = "https://token.actions.githubusercontent.com"
  subjects        = ["repo:monkeytown/monkeytown:environment:production"]
  create_provider = true
}
