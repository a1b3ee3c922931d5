# The AWS provider's mock values, shared by every file in tests/ through
#   mock_provider "aws" { source = "./tests/mocks" }
# A made-up region (zz-test-1) and account (111122223333). A file whose assertions read a
# value of its own environment (its AZs, its RDS address) restates that block inside its
# mock_provider: a block written there wins over the one here.

# A stack that was bootstrapped before (its deploy configuration parameter exists).
mock_data "aws_ssm_parameters_by_path" {
  defaults = { names = ["/monkeytown-production/deploy-config", "/monkeytown-development/deploy-config"] }
}
mock_resource "aws_service_discovery_http_namespace" {
  defaults = { arn = "arn:aws:servicediscovery:zz-test-1:111122223333:namespace/ns-mock0123456789" }
}
mock_resource "aws_vpc_endpoint" {
  defaults = { prefix_list_id = "pl-0123456789abcdef0" }
}
mock_data "aws_availability_zones" {
  defaults = { names = ["zz-test-1b", "zz-test-1a", "zz-test-1c"] }
}
mock_data "aws_secretsmanager_random_password" {
  defaults = { random_password = "MockGeneratedValue0123456789abcdefMockGeneratedValue0123456789ab" }
}
mock_data "aws_ecr_image" {
  defaults = { image_digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }
}
mock_data "aws_elb_service_account" {
  defaults = { arn = "arn:aws:iam::127311923021:root" }
}
mock_data "aws_caller_identity" {
  defaults = { account_id = "111122223333" }
}
mock_resource "aws_db_instance" {
  defaults = {
    address            = "db.example.internal"
    resource_id        = "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:zz-test-1:111122223333:secret:rds!db-1", kms_key_id = "", secret_status = "active" }]
  }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::111122223333:role/mock" }
}
mock_resource "aws_lb" {
  defaults = { arn = "arn:aws:elasticloadbalancing:zz-test-1:111122223333:loadbalancer/app/monkeytown/1", arn_suffix = "app/monkeytown/1" }
}
mock_resource "aws_lb_listener" {
  defaults = { arn = "arn:aws:elasticloadbalancing:zz-test-1:111122223333:listener/app/monkeytown/1/1" }
}
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:zz-test-1:111122223333:monkeytown-alarms" }
}
mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:zz-test-1:111122223333:regional/webacl/monkeytown/1" }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:zz-test-1:111122223333:log-group:mock" }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:zz-test-1:111122223333:key/mock" }
}
mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::monkeytown-alb-logs" }
}
mock_resource "aws_ssm_parameter" {
  defaults = { arn = "arn:aws:ssm:zz-test-1:111122223333:parameter/monkeytown/deploy-config" }
}
mock_resource "aws_iam_openid_connect_provider" {
  defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
}
mock_resource "aws_lb_target_group" {
  defaults = { arn = "arn:aws:elasticloadbalancing:zz-test-1:111122223333:targetgroup/mock/1", arn_suffix = "targetgroup/mock/1" }
}
mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:zz-test-1:111122223333:task-definition/mock:1" }
}
mock_resource "aws_sfn_state_machine" {
  defaults = { arn = "arn:aws:states:zz-test-1:111122223333:stateMachine:mock" }
}
