# No variable here carries a secret or has a secret default: database
# credentials are managed by RDS, the Redis auth token and session secret are
# generated into Secrets Manager (see secrets.tf).

variable "environment" {
  description = "Deployment environment; production turns on Multi-AZ, NAT per AZ, deletion protection and longer retention."
  type        = string
  validation {
    condition     = contains(["development", "production"], var.environment)
    error_message = "environment must be \"development\" or \"production\"."
  }
}

variable "aws_region" {
  description = "AWS region to deploy into (availability zones are looked up, never hard-coded)."
  type        = string
  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like us-east-1."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC: a /16 or larger (subnets are /24s; a /20 would give /28s, too small for an ALB)."
  type        = string
  default     = "10.0.0.0/16"
  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) <= 16, false)
    error_message = "vpc_cidr must be a valid IPv4 CIDR block of /16 or larger (a /20 yields /28 subnets, too small for an ALB)."
  }
}

variable "domain_name" {
  description = "Public host name players use (the ACM certificate must cover it); DNS points it at the ALB."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", var.domain_name))
    error_message = "domain_name must be a lower-case DNS name such as play.example.com."
  }
}

variable "certificate_arn" {
  description = "ARN of the ACM certificate for the HTTPS listener (issued in the same region)."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "image_tag" {
  description = <<-EOT
    Bootstrap only: the image tag (pushed by ecr-push.sh) of the FIRST task-definition
    revisions, resolved to a digest. After the first apply the deploy CLI owns the task
    definitions (Terraform ignores them), so later applies leave this unset (null).
  EOT
  type        = string
  default     = null
  validation {
    condition     = var.image_tag == null || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag (or null after bootstrap)."
  }
}

variable "db_app_username" {
  description = "The game-server's own Postgres role (IAM authentication, no password); never the master user."
  type        = string
  default     = "monkeytown_app"
  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.db_app_username)) && var.db_app_username != var.db_username
    error_message = "db_app_username must be a lower-case Postgres role name different from db_username (the master user)."
  }
}

variable "enable_ecs_exec" {
  description = "ECS Exec into running tasks (sessions encrypted with a KMS key and logged to CloudWatch). Off by default; the task definitions' read-only root filesystems also keep the SSM agent from running unless you add writable volumes for it."
  type        = bool
  default     = false
}

variable "waf_rate_limit" {
  description = "Requests per client IP per 5 minutes before the WAF rate-based rule blocks (the app's own limits are per minute, lower)."
  type        = number
  default     = 3000
  validation {
    condition     = var.waf_rate_limit >= 100 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be at least 100 (AWS's minimum)."
  }
}

variable "waf_blocked_alarm_threshold" {
  description = "Requests the WAF rate rule may block in 5 minutes before the alarm fires (a few blocked abusers are normal; many mean players are being blocked)."
  type        = number
  default     = 300
  validation {
    condition     = var.waf_blocked_alarm_threshold >= 1
    error_message = "waf_blocked_alarm_threshold must be at least 1."
  }
}

variable "deployment_5xx_percent" {
  description = "Share of a service's requests answered 5xx (per minute) that makes ECS roll a deployment back (deployment alarms, monitoring.tf)."
  type        = number
  default     = 5
  validation {
    condition     = var.deployment_5xx_percent > 0 && var.deployment_5xx_percent < 100
    error_message = "deployment_5xx_percent must be between 0 and 100."
  }
}

variable "db_pool" {
  description = <<-EOT
    The game-server's Postgres pool hygiene (docs/api.md, "Database timeouts"), passed to
    the task definition as DATABASE_* variables. Defaults are the application's.
  EOT
  type = object({
    connect_timeout_ms             = optional(number, 3000)
    statement_timeout_ms           = optional(number, 5000)
    query_timeout_ms               = optional(number, 6000)
    idle_timeout_ms                = optional(number, 30000)
    idle_in_transaction_timeout_ms = optional(number, 10000)
    keepalive_ms                   = optional(number, 10000)
    max_lifetime_seconds           = optional(number, 900)
  })
  default = {}
  validation {
    condition     = var.db_pool.query_timeout_ms >= var.db_pool.statement_timeout_ms
    error_message = "db_pool.query_timeout_ms must not be below statement_timeout_ms (the client would cut connections Postgres was about to free)."
  }
  validation {
    # The ALB's health check waits 5 s: a readiness check must be able to fail faster.
    condition     = var.db_pool.connect_timeout_ms >= 100 && var.db_pool.connect_timeout_ms < 5000
    error_message = "db_pool.connect_timeout_ms must be between 100 and 4999 (below the ALB health check timeout)."
  }
  validation {
    # RDS IAM tokens live 15 minutes; the game-server's max is a day.
    condition     = var.db_pool.max_lifetime_seconds >= 60 && var.db_pool.max_lifetime_seconds <= 86400
    error_message = "db_pool.max_lifetime_seconds must be between 60 and 86400."
  }
}

variable "ci_oidc" {
  description = <<-EOT
    CI deploy role trusted through OIDC (e.g. GitHub Actions): issuer URL, allowed subjects
    ("repo:org/repo:environment:production"), and whether this stack creates the account's
    OIDC provider (one per account: let one environment create it). null: no CI role.
  EOT
  type = object({
    issuer_url      = string
    subjects        = list(string)
    audience        = optional(string, "sts.amazonaws.com")
    create_provider = optional(bool, false)
  })
  default = null
  validation {
    condition     = var.ci_oidc == null || (startswith(try(var.ci_oidc.issuer_url, ""), "https://") && length(try(var.ci_oidc.subjects, [])) > 0 && alltrue([for s in try(var.ci_oidc.subjects, []) : s != "*"]))
    error_message = "ci_oidc needs an https issuer_url and at least one subject, none of them a bare \"*\"."
  }
}

variable "write_only_secrets" {
  description = <<-EOT
    Generate SESSION_SECRET with an ephemeral resource into a write-only argument, so it is
    never stored in state. Only terraform test sets this false: its mock provider cannot
    open ephemeral resources (Terraform 1.11), and false falls back to a generated value in state.
  EOT
  type        = bool
  default     = true
}

variable "session_secret_version" {
  description = "Bump to generate and store a new SESSION_SECRET (write-only secrets): every guest token becomes invalid."
  type        = number
  default     = 1
}

variable "moderators" {
  description = "MODERATORS handed to the game-server: the player ids (UUIDs, comma-separated) who read and close chat reports; empty: nobody."
  type        = string
  default     = ""
  validation {
    condition     = var.moderators == "" || alltrue([for id in split(",", var.moderators) : can(regex("^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$", id))])
    error_message = "moderators lists player ids (UUIDs), comma-separated."
  }
}

variable "log_level" {
  description = "LOG_LEVEL handed to every service."
  type        = string
  default     = "info"
  validation {
    condition     = contains(["fatal", "error", "warn", "info", "debug", "trace"], var.log_level)
    error_message = "log_level must be a pino level."
  }
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t3.micro"
  validation {
    condition     = startswith(var.db_instance_class, "db.")
    error_message = "db_instance_class must be an RDS class such as db.t3.medium."
  }
}

variable "db_allocated_storage" {
  description = "Initial RDS storage in GiB (storage autoscaling goes up to 5x)."
  type        = number
  default     = 20
  validation {
    condition     = var.db_allocated_storage >= 20 && var.db_allocated_storage <= 16384
    error_message = "db_allocated_storage must be between 20 and 16384 GiB."
  }
}

variable "db_username" {
  description = "Master user name; the password is generated and rotated by RDS in Secrets Manager."
  type        = string
  default     = "monkeytown"
  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.db_username)) && var.db_username != "postgres"
    error_message = "db_username must be 1-16 lower-case letters, digits or _ and not a reserved name."
  }
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t3.micro"
  validation {
    condition     = startswith(var.redis_node_type, "cache.")
    error_message = "redis_node_type must be an ElastiCache node type such as cache.m5.large."
  }
}

variable "service_scaling" {
  description = "Per-service task counts: desired at creation, autoscaling min and max."
  type = map(object({
    desired = number
    min     = number
    max     = number
  }))
  validation {
    condition = alltrue([
      for k, v in var.service_scaling : contains(["web", "game-server", "event-stream"], k) && v.min >= 1 && v.min <= v.desired && v.desired <= v.max
    ])
    error_message = "service_scaling keys must be web, game-server or event-stream, with 1 <= min <= desired <= max."
  }
  validation {
    condition     = length(setsubtract(["web", "game-server", "event-stream"], keys(var.service_scaling))) == 0
    error_message = "service_scaling must define web, game-server and event-stream."
  }
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation autoscaling keeps each service at."
  type        = number
  default     = 60
  validation {
    condition     = var.cpu_target_percent >= 20 && var.cpu_target_percent <= 90
    error_message = "cpu_target_percent must be between 20 and 90."
  }
}

variable "requests_per_target" {
  description = "ALB requests per target per minute autoscaling keeps web and game-server at."
  type        = number
  default     = 1000
  validation {
    condition     = var.requests_per_target > 0
    error_message = "requests_per_target must be positive."
  }
}

variable "alb_idle_timeout" {
  description = "ALB idle timeout in seconds; must exceed the event-stream heartbeat (WS_HEARTBEAT_MS, 20 s) so idle WebSockets stay open."
  type        = number
  default     = 120
  validation {
    condition     = var.alb_idle_timeout >= 60 && var.alb_idle_timeout <= 4000
    error_message = "alb_idle_timeout must be 60-4000 seconds (well above the 20 s WebSocket heartbeat)."
  }
}

variable "alarm_email" {
  description = "Optional e-mail address subscribed to the alarm SNS topic (null: subscribe something else yourself)."
  type        = string
  default     = null
  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or null."
  }
}

variable "db_password_rotation_days" {
  description = "Days between automatic rotations of the RDS-managed master password (RDS's default is 7)."
  type        = number
  default     = 30
  validation {
    condition     = var.db_password_rotation_days >= 1 && var.db_password_rotation_days <= 365
    error_message = "db_password_rotation_days must be between 1 and 365."
  }
}

variable "bootstrap_pre_deploy" {
  description = "On the first apply (image_tag set), run the pre-deploy task (app role + migrations) through deploy/scripts/ecs-deploy.sh --migrate-only before the services are created. Off only where no real AWS exists (terraform test)."
  type        = bool
  default     = true
}

variable "migration_lock_timeout_ms" {
  description = "lock_timeout of the pre-deploy migrations: DDL that would queue behind live traffic longer than this gives up (nothing applied) and is retried, then the rollout stops."
  type        = number
  default     = 5000
  validation {
    condition     = var.migration_lock_timeout_ms >= 100 && var.migration_lock_timeout_ms <= 600000
    error_message = "migration_lock_timeout_ms must be between 100 and 600000."
  }
}
