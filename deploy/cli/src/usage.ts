export const USAGE = `monkeytown-deploy <command> [options]

ECR
  account                         print ACCOUNT/REGION/REGISTRY (from STS and the region chain)
  ecr-login [--output password|registry|json]
                                  docker login credentials from ecr:GetAuthorizationToken
                                  (pipe the password to: docker login --username AWS --password-stdin)
  ensure-repo --repository NAME   create the repository if missing (scan on push, immutable tags)
  push-plan --repository NAME --tag TAG [--format json|env]
                                  ensure the repository; print the image URI and whether the tag exists

Task definitions
  render --file task-definitions/web.json --vars-file VARS --image-tag TAG [--service web] [--var K=V]
                                  fill \${PLACEHOLDERS}, validate against RegisterTaskDefinition, print JSON
  register  (same options)        render and register; prints the new revision ARN

Services
  deploy --cluster C --service S --file F --vars-file VARS --image-tag TAG
         [--health-url URL] [--timeout 900] [--poll 10] [--attempts 6] [--interval 10]
                                  register, update, wait, verify the new deployment is PRIMARY with
                                  rolloutState COMPLETED, check the health URL; otherwise roll back
                                  to the previous task definition and exit 1
  update --cluster C --service S --task-definition FAMILY:REV|ARN
  wait   --cluster C --service S --deployment-id ID [--timeout 900]
  verify --cluster C --service S --deployment-id ID
  health --url URL [--attempts 6] [--interval 10]
  rollback --cluster C --service S [--to FAMILY:REV|ARN]
                                  default target: the previous ACTIVE revision of the running family
  status --cluster C --service S [--json]

Global options
  --region R    AWS region (default: AWS_REGION / AWS_DEFAULT_REGION / profile)
  --dry-run     read-only calls only: print what would be created, registered or updated
  -h, --help

Credentials come from the standard AWS chain (AWS_PROFILE, env keys, SSO, instance/task role).
VARS is \`terraform output -json task_definition_vars\` (per-service map) or a flat {NAME: value} map.
Exit codes: 0 ok, 1 rollout failed (rolled back) or not verified, 2 bad input, 3 AWS refused/unavailable.
`;
