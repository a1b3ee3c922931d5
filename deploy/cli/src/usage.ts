export const USAGE = `monkeytown-deploy <command> [options]

CONFIG is the non-secret deploy configuration Terraform publishes (SSM parameter
/monkeytown-<env>/deploy-config, or \`terraform output -json deploy_config\`). Every command
that takes --config refuses a region or account other than the one in it.

Configuration
  config --environment ENV        print the deploy configuration from SSM (save it for --config)
  account                         print ACCOUNT/REGION/REGISTRY (from STS and the region chain)

ECR (Terraform owns the repositories: nothing here creates one)
  ecr-login [--output password|registry|json]
                                  docker login credentials from ecr:GetAuthorizationToken
                                  (pipe the password to: docker login --username AWS --password-stdin)
  push-plan --config CONFIG --repository NAME --tag TAG [--format json|env]
                                  print the image URI and whether the tag exists; a missing
                                  repository is an error (exit 2)

Task definitions
  render --file task-definitions/web.json (--config CONFIG --service web | --vars-file VARS) [--var K=V]
                                  fill \${PLACEHOLDERS}, validate against RegisterTaskDefinition, print JSON
  register  (same options)        render and register; prints the new revision ARN

Services
  deploy --config CONFIG --service S --file F --image-tag TAG
         [--health-url URL] [--timeout 900] [--poll 10] [--attempts 6] [--interval 10]
                                  resolve TAG to its digest (missing image: exit 2 before anything
                                  changes), register, update, wait, verify the new deployment is
                                  PRIMARY with rolloutState COMPLETED, check the health URL and record
                                  the revision as deployed; otherwise roll back and exit 1
  migrate --config CONFIG --image-tag TAG [--timeout 900] [--poll 5]
                                  the pre-deploy step: start the pre-deploy state machine (Terraform's)
                                  with TAG's server image digest; it registers the migrate task and runs
                                  it once. Exit 0 only when the execution succeeded (the container exited
                                  0); past --timeout the execution is stopped. Run before any service is
                                  updated: a failure (exit 1) leaves every service on its running version
  update --cluster C --service S --task-definition FAMILY:REV|ARN
  wait   --cluster C --service S --deployment-id ID [--timeout 900]
  verify --cluster C --service S --deployment-id ID
  health --url URL [--attempts 6] [--interval 10]
  rollback (--config CONFIG | --cluster C) --service S [--to FAMILY:REV|ARN]
                                  default target: the last revision of the running family that
                                  was recorded as deployed successfully (one service per call)
  status (--config CONFIG | --cluster C) --service S [--json]

Global options
  --region R    AWS region (default: AWS_REGION / AWS_DEFAULT_REGION / profile)
  --dry-run     read-only calls only: print what would be registered or updated
  -h, --help

Credentials come from the standard AWS chain (AWS_PROFILE, env keys, SSO, OIDC web identity, task role).
VARS is a flat {NAME: value} map or {service: {NAME: value}} (offline rendering).
Exit codes: 0 ok, 1 rollout failed (rolled back) or not verified, 2 bad input or wrong target, 3 AWS refused/unavailable.
`;
