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
