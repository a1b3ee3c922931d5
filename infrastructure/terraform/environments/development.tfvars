# terraform plan -var-file=environments/development.tfvars
environment       = "development"
aws_region        = "eu-west-1"
domain_name       = "dev.monkeytown.example.com"
certificate_arn   = "arn:aws:acm:eu-west-1:111122223333:certificate/11111111-1111-1111-1111-111111111111"
db_instance_class = "db.t3.micro"
redis_node_type   = "cache.t3.micro"
log_level         = "debug"

# Spec: 2 tasks per service in development.
service_scaling = {
  web          = { desired = 2, min = 1, max = 3 }
  game-server  = { desired = 2, min = 1, max = 3 }
  event-stream = { desired = 2, min = 1, max = 3 }
}

ci_oidc = {
  issuer_url = "https://token.actions.githubusercontent.com"
  subjects   = ["repo:monkeytown/monkeytown:environment:development"]
}
