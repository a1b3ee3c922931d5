module "network" {
  source = "./modules/network"

  name              = local.name
  cidr              = var.vpc_cidr
  azs               = local.azs
  nat_gateway_count = local.nat_gateway_count
  region            = var.aws_region

  flow_log_retention_days = local.log_retention_days
}
