variable "name" {
  description = "Name prefix for every network resource."
  type        = string
}

variable "cidr" {
  description = "VPC CIDR block: a /16 (the subnet tiers are /24s cut with 8 new bits)."
  type        = string
  validation {
    # A /20 would yield /28 subnets: 11 usable addresses, too few for an ALB (needs a
    # /27 with 8 free) or a rolling deployment at 200 % of a few Fargate tasks.
    condition     = can(cidrhost(var.cidr, 0)) && try(tonumber(split("/", var.cidr)[1]) <= 16, false)
    error_message = "cidr must be a valid IPv4 CIDR of /16 or larger (a /20 yields /28 subnets, too small for an ALB)."
  }
}

variable "azs" {
  description = "Availability zones, one subnet of each tier per zone."
  type        = list(string)
  validation {
    condition     = length(var.azs) >= 2
    error_message = "At least two availability zones are required (RDS and the ALB need two)."
  }
}

variable "nat_gateway_count" {
  description = "NAT gateways: 1 (shared, cheap) or one per availability zone (highly available)."
  type        = number
  validation {
    condition     = var.nat_gateway_count >= 1
    error_message = "Private subnets need at least one NAT gateway for ECR pulls and logs."
  }
}

variable "region" {
  description = "Region of the VPC endpoints' service names."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Days to keep VPC flow logs."
  type        = number
}
