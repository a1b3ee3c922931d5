variable "name" {
  description = "Name prefix for every network resource."
  type        = string
}

variable "cidr" {
  description = "VPC CIDR block (a /16 leaves room for the /24 subnet tiers)."
  type        = string
  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 20
    error_message = "cidr must be a valid IPv4 CIDR of /20 or larger."
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
