output "vpc_id" {
  value = aws_vpc.this.id
}

output "vpc_cidr" {
  value = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  value = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "database_subnet_ids" {
  value = aws_subnet.database[*].id
}

output "nat_gateway_ids" {
  value = aws_nat_gateway.this[*].id
}

output "nat_gateway_subnet_ids" {
  description = "Public subnet of each NAT gateway (one per AZ in production)."
  value       = aws_nat_gateway.this[*].subnet_id
}

output "private_route_nat_gateway_ids" {
  description = "NAT gateway used by each private subnet's default route, in AZ order."
  value       = aws_route.private_nat[*].nat_gateway_id
}

output "private_route_ids" {
  description = "The private subnets' default routes (through NAT): dependants that need egress wait for these."
  value       = aws_route.private_nat[*].id
}

output "vpc_endpoint_ids" {
  description = "Interface endpoints by service (ecr.api, ecr.dkr, logs, secretsmanager) plus s3."
  value       = merge({ for k, e in aws_vpc_endpoint.interface : k => e.id }, { s3 = aws_vpc_endpoint.s3.id })
}

output "vpc_endpoint_service_names" {
  value = concat([for e in aws_vpc_endpoint.interface : e.service_name], [aws_vpc_endpoint.s3.service_name])
}

output "flow_log" {
  value = { traffic_type = aws_flow_log.this.traffic_type, log_group = aws_cloudwatch_log_group.flow.name }
}

output "default_security_group" {
  description = "The managed default security group: no ingress, no egress."
  value       = { id = aws_default_security_group.this.id, ingress = aws_default_security_group.this.ingress, egress = aws_default_security_group.this.egress }
}

output "endpoints_security_group_id" {
  description = "Security group of the interface VPC endpoints (tasks without a way out reach AWS APIs through it)."
  value       = aws_security_group.endpoints.id
}

output "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint (ECR image layers)."
  value       = aws_vpc_endpoint.s3.prefix_list_id
}
