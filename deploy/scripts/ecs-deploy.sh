#!/usr/bin/env bash
# Roll Monkeytown's ECS services out to an image tag, verifying each rollout
# and rolling back by itself when one fails.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/scripts/ecs-deploy.sh [options]

For each service, in order: render task-definitions/<file>.json with the
Terraform outputs and the image tag, register it, update the ECS service, wait
until the service is stable, verify that THIS deployment is PRIMARY with
rolloutState COMPLETED (not a circuit-breaker rollback), and check its public
health URL. If any of that fails the service is rolled back to its previous
task definition, the script stops (later services are not touched) and exits 1.

Options:
  -e, --environment ENV   development | production (default: $MONKEYTOWN_ENV or development)
  -t, --tag TAG           image tag to deploy, pushed by ecr-push.sh (default: 12-character SHA of HEAD)
      --allow-dirty       allow the default tag on a tree with uncommitted changes
  -s, --services LIST     comma-separated subset of game-server,event-stream,web (default: all, in that order)
  -c, --cluster NAME      ECS cluster (default: monkeytown-<environment>)
  -v, --vars-file FILE    task definition placeholder values: `terraform output -json task_definition_vars`
                          (default: read with terraform from infrastructure/terraform)
  -u, --public-url URL    base URL for health checks (default: PUBLIC_URL from the vars file)
      --timeout SECONDS   how long to wait for each service (default 900)
      --poll SECONDS      how often to look at the rollout (default 10)
      --health-attempts N health URL attempts before giving up (default 6)
      --health-interval SECONDS  pause between health attempts (default 10)
  -r, --region REGION     AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION or the profile)
  -n, --dry-run           render and validate, read the services, print what would happen; change nothing
  -h, --help              show this help

Other actions (instead of deploying):
      --status            print each service's deployments and recent events
      --rollback          roll each service back to the previous revision of its task definition family

Health URLs: web <public-url>/, game-server <public-url>/api/agents. event-stream has
no public HTTP path (/ws is WebSocket only); ECS only completes its rollout once the
ALB health check on /health/ready passes.

Environment:
  AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN   credentials
  MONKEYTOWN_DEPLOY_CLI   deploy CLI executable (default: deploy/cli/dist/cli.js, else tsx on the sources)
  TERRAFORM               terraform binary for the default vars file (default: terraform)

Exit codes: 0 all deployed, 1 a rollout failed (rolled back), 2 bad usage, 3 AWS refused.
USAGE
}

ENVIRONMENT=${MONKEYTOWN_ENV:-development}
TAG=""
ALLOW_DIRTY=false
SERVICES="game-server,event-stream,web"
CLUSTER=""
VARS_FILE=""
PUBLIC_URL=""
TIMEOUT=900
POLL=10
HEALTH_ATTEMPTS=6
HEALTH_INTERVAL=10
REGION=""
DRY_RUN=false
ACTION=deploy

while [[ $# -gt 0 ]]; do
  case $1 in
    -e | --environment) require_value "$@"; ENVIRONMENT=$2; shift 2 ;;
    -t | --tag) require_value "$@"; TAG=$2; shift 2 ;;
    --allow-dirty) ALLOW_DIRTY=true; shift ;;
    -s | --services) require_value "$@"; SERVICES=$2; shift 2 ;;
    -c | --cluster) require_value "$@"; CLUSTER=$2; shift 2 ;;
    -v | --vars-file) require_value "$@"; VARS_FILE=$2; shift 2 ;;
    -u | --public-url) require_value "$@"; PUBLIC_URL=$2; shift 2 ;;
    --timeout) require_value "$@"; TIMEOUT=$2; shift 2 ;;
    --poll) require_value "$@"; POLL=$2; shift 2 ;;
    --health-attempts) require_value "$@"; HEALTH_ATTEMPTS=$2; shift 2 ;;
    --health-interval) require_value "$@"; HEALTH_INTERVAL=$2; shift 2 ;;
    -r | --region) require_value "$@"; REGION=$2; shift 2 ;;
    -n | --dry-run) DRY_RUN=true; shift ;;
    --status) ACTION=status; shift ;;
    --rollback) ACTION=rollback; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" 2 ;;
  esac
done

valid_environment "$ENVIRONMENT"
for n in "$TIMEOUT" "$HEALTH_ATTEMPTS"; do
  [[ $n =~ ^[0-9]+$ ]] || die "--timeout and --health-attempts take whole numbers, got '$n'" 2
done
for n in "$POLL" "$HEALTH_INTERVAL"; do
  [[ $n =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--poll and --health-interval take seconds, got '$n'" 2
done
CLUSTER=${CLUSTER:-monkeytown-$ENVIRONMENT}
IFS=',' read -r -a SERVICE_LIST <<<"$SERVICES"
for s in "${SERVICE_LIST[@]}"; do
  case $s in
    web | game-server | event-stream) ;;
    *) die "unknown service '$s': use web, game-server, event-stream" 2 ;;
  esac
done

common=(--cluster "$CLUSTER")
[[ -n $REGION ]] && common+=(--region "$REGION")
[[ $DRY_RUN == true ]] && common+=(--dry-run)

if [[ $ACTION == status ]]; then
  for s in "${SERVICE_LIST[@]}"; do deploy_cli status --service "$s" "${common[@]}"; done
  exit 0
fi

if [[ $ACTION == rollback ]]; then
  for s in "${SERVICE_LIST[@]}"; do
    log "rolling back $s in $CLUSTER"
    deploy_cli rollback --service "$s" --timeout "$TIMEOUT" --poll "$POLL" "${common[@]}"
  done
  exit 0
fi

[[ -n $TAG ]] || TAG=$(git_tag "$ALLOW_DIRTY")

cleanup_files=()
cleanup() { [[ ${#cleanup_files[@]} -eq 0 ]] || rm -f "${cleanup_files[@]}"; }
trap cleanup EXIT

if [[ -z $VARS_FILE ]]; then
  VARS_FILE=$(mktemp)
  cleanup_files+=("$VARS_FILE")
  log "reading task_definition_vars from Terraform (infrastructure/terraform)"
  "${TERRAFORM:-terraform}" -chdir="$ROOT/infrastructure/terraform" output -json task_definition_vars >"$VARS_FILE" ||
    die "terraform output failed: run terraform init for $ENVIRONMENT first, or pass --vars-file" 2
fi
[[ -r $VARS_FILE ]] || die "cannot read vars file $VARS_FILE" 2

# The vars file is JSON: let node read it (node is needed for the CLI anyway).
# Prints "<NAME_PREFIX> <PUBLIC_URL>" from the first service (or a flat map).
read -r VARS_PREFIX VARS_URL < <(node -e '
  const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const m = v.task_definition_vars?.value ?? v;
  const first = Object.values(m).find((x) => x && typeof x === "object" && x.NAME_PREFIX) ?? m;
  process.stdout.write((first.NAME_PREFIX || "-") + " " + (first.PUBLIC_URL || "") + "\n");
' "$VARS_FILE") || die "cannot parse vars file $VARS_FILE" 2
# Guard against deploying one environment with another's Terraform outputs.
[[ $VARS_PREFIX == "monkeytown-$ENVIRONMENT" ]] ||
  die "vars file is for '$VARS_PREFIX', not monkeytown-$ENVIRONMENT (terraform init with the right backend, or pass --vars-file)" 2
PUBLIC_URL=${PUBLIC_URL:-${VARS_URL:-}}
[[ -n $PUBLIC_URL ]] || warn "no public URL: health URLs will not be checked"
PUBLIC_URL=${PUBLIC_URL%/}

task_file() {
  case $1 in
    web) echo "$ROOT/task-definitions/web.json" ;;
    game-server) echo "$ROOT/task-definitions/server.json" ;;
    event-stream) echo "$ROOT/task-definitions/event-stream.json" ;;
  esac
}

health_url() {
  [[ -n $PUBLIC_URL ]] || return 0
  case $1 in
    web) echo "$PUBLIC_URL/" ;;
    game-server) echo "$PUBLIC_URL/api/agents" ;;
    event-stream) ;;
  esac
}

for s in "${SERVICE_LIST[@]}"; do
  if [[ $DRY_RUN == true ]]; then log "dry run: $s:$TAG to $CLUSTER"; else log "deploying $s:$TAG to $CLUSTER"; fi
  args=(deploy --service "$s" --file "$(task_file "$s")" --vars-file "$VARS_FILE" --image-tag "$TAG" --timeout "$TIMEOUT" --poll "$POLL")
  url=$(health_url "$s")
  [[ -n $url ]] && args+=(--health-url "$url" --attempts "$HEALTH_ATTEMPTS" --interval "$HEALTH_INTERVAL")
  status=0
  deploy_cli "${args[@]}" "${common[@]}" || status=$?
  if [[ $status -ne 0 ]]; then
    printf 'error: %s rollout failed (exit %d); services after it were not touched\n' "$s" "$status" >&2
    exit "$status"
  fi
  log "$s: deployed $TAG"
done
log "all services on $TAG"
