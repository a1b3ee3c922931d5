terraform {
  # 1.10+: S3 native state locking (use_lockfile); 1.11: write-only attributes.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }

  # Partial configuration: bucket, key and region come from
  # environments/<env>.s3.tfbackend (terraform init -backend-config=...), so the
  # same code serves every environment with its own state object.
  # use_lockfile replaces the deprecated DynamoDB lock table (ERRATA 19).
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = "monkeytown"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

# The same account and region, for ephemeral resources only (secrets.tf). A separate
# configuration because terraform test's mock provider refuses ephemeral resource
# types: the tests replace this one with a real provider that is never called.
provider "aws" {
  alias  = "ephemeral"
  region = var.aws_region
}
