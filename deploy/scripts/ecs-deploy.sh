#!/usr/bin/env bash
# Roll Monkeytown's ECS services out to an image tag, verifying each rollout
# and rolling back by itself when one fails.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/scripts/ecs-deploy.sh [options]

First, when game-server is among the services (or with --migrate-only), the
pre-deploy step: the release's server image runs the database role set-up and
the migrations as a one-off ECS task. This script does not run that task: it
starts the pre-deploy state machine Terraform owns with the server image's
digest (its only input), which registers task-definitions/migrate.json as of
the last terraform apply and runs it. The rollout goes on only when the
execution succeeded (the task exited 0); otherwise it stops with exit 1 before
any service is touched.

Then for each service, in order: resolve the image tag to its digest in ECR (a
missing image stops everything before any change), render
task-definitions/<file>.json with the deploy configuration and that digest,
register it, update the ECS service, wait until the service is stable, verify
that THIS deployment is PRIMARY with rolloutState COMPLETED (not a
circuit-breaker rollback), check its public health URL, and record the revision
as deployed. If any of that fails the service is rolled back to its previous
task definition, the script stops (later services are not touched) and exits 1.
The region and account must be the ones in the deploy configuration.

Options:
  -e, --environment ENV   development | production (default: $MONKEYTOWN_ENV or development)
  -t, --tag TAG           image tag to deploy, pushed by ecr-push.sh (default: 12-character SHA of HEAD)
      --allow-dirty       allow the default tag on a tree with uncommitted changes
  -s, --services LIST     comma-separated subset of game-server,event-stream,web, or "all"
                          (default for a deploy: all, in that order; --rollback requires it)
      --task-definitions DIR  the release's task definitions (default: task-definitions/ of the
                          commit the tag names, or of the working tree when the tag is its own)
  -c, --config FILE       deploy configuration: `terraform output -json deploy_config`
                          (default: read from SSM /monkeytown-<env>/deploy-config)
  -u, --public-url URL    base URL for health checks (default: public_url from the configuration)
      --timeout SECONDS   how long to wait for each service (default 900)
      --poll SECONDS      how often to look at the rollout (default 10)
      --health-attempts N health URL attempts before giving up (default 6)
      --health-interval SECONDS  pause between health attempts (default 10)
      --migration-timeout SECONDS  how long the pre-deploy execution may run before it is
                          stopped, with its task (default 900)
  -r, --region REGION     AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION or the profile)
  -n, --dry-run           render and validate, read the services, print what would happen; change nothing
  -h, --help              show this help

Other actions (instead of deploying):
      --status            print each service's deployments and recent events
      --rollback          roll each listed service back to the last revision recorded as deployed
                          successfully (--services is required: nothing moves back by default)
                          (no migration runs: a rollback target must work with the current schema)
      --migrate-only      run the pre-deploy step of --tag and stop (Terraform's first apply does)

Health URLs: web <public-url>/, game-server <public-url>/api/agents. event-stream has
no public HTTP path (/ws is WebSocket only); ECS only completes its rollout once the
ALB health check on /health/ready passes.

Environment:
  AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN   credentials
  MONKEYTOWN_DEPLOY_CLI   deploy CLI executable (default: deploy/cli/dist/cli.js, else tsx on the sources)

Exit codes: 0 all deployed, 1 a rollout failed (rolled back), 2 bad usage, 3 AWS refused.
USAGE
}

ENVIRONMENT=${MONKEYTOWN_ENV:-development}
TAG=""
TASK_DIR=""
ALLOW_DIRTY=false
SERVICES=""
CONFIG=""
PUBLIC_URL=""
TIMEOUT=900
POLL=10
HEALTH_ATTEMPTS=6
HEALTH_INTERVAL=10
MIGRATION_TIMEOUT=900
REGION=""
DRY_RUN=false
ACTION=deploy

while [[ $# -gt 0 ]]; do
  case $1 in
    -e | --environment) require_value "$@"; ENVIRONMENT=$2; shift 2 ;;
    -t | --tag) require_value "$@"; TAG=$2; shift 2 ;;
    --allow-dirty) ALLOW_DIRTY=true; shift ;;
    --task-definitions) require_value "$@"; TASK_DIR=$2; shift 2 ;;
    -s | --services) require_value "$@"; SERVICES=$2; shift 2 ;;
    -c | --config) require_value "$@"; CONFIG=$2; shift 2 ;;
    -u | --public-url) require_value "$@"; PUBLIC_URL=$2; shift 2 ;;
    --timeout) require_value "$@"; TIMEOUT=$2; shift 2 ;;
    --poll) require_value "$@"; POLL=$2; shift 2 ;;
    --health-attempts) require_value "$@"; HEALTH_ATTEMPTS=$2; shift 2 ;;
    --health-interval) require_value "$@"; HEALTH_INTERVAL=$2; shift 2 ;;
    --migration-timeout) require_value "$@"; MIGRATION_TIMEOUT=$2; shift 2 ;;
    -r | --region) require_value "$@"; REGION=$2; shift 2 ;;
    -n | --dry-run) DRY_RUN=true; shift ;;
    --status) ACTION=status; shift ;;
    --rollback) ACTION=rollback; shift ;;
    --migrate-only) ACTION=migrate; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" 2 ;;
  esac
done

valid_environment "$ENVIRONMENT"
for n in "$TIMEOUT" "$HEALTH_ATTEMPTS" "$MIGRATION_TIMEOUT"; do
  [[ $n =~ ^[0-9]+$ ]] || die "--timeout, --health-attempts and --migration-timeout take whole numbers, got '$n'" 2
done
for n in "$POLL" "$HEALTH_INTERVAL"; do
  [[ $n =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--poll and --health-interval take seconds, got '$n'" 2
done
if [[ -z $SERVICES ]]; then
  # A rollback must name what it moves: "--rollback" alone would silently move all three.
  [[ $ACTION != rollback ]] || die "--rollback needs --services (e.g. --services web, or --services all)" 2
  SERVICES=all
fi
[[ $SERVICES == all ]] && SERVICES="game-server,event-stream,web"
IFS=',' read -r -a SERVICE_LIST <<<"$SERVICES"
for s in ${SERVICE_LIST[@]+"${SERVICE_LIST[@]}"}; do
  case $s in
    web | game-server | event-stream) ;;
    *) die "unknown service '$s': use web, game-server, event-stream or all" 2 ;;
  esac
done

region_args=()
[[ -n $REGION ]] && region_args+=(--region "$REGION")
given_config=$CONFIG
CONFIG=$(deploy_config_file "$ENVIRONMENT" "$CONFIG" ${region_args[@]+"${region_args[@]}"})
TMP_CONFIG=""
TMP_TASK_DIR=""
[[ $CONFIG == "$given_config" ]] || TMP_CONFIG=$CONFIG
cleanup() {
  [[ -z $TMP_CONFIG ]] || rm -f "$TMP_CONFIG"
  [[ -z $TMP_TASK_DIR ]] || rm -rf "$TMP_TASK_DIR"
}
trap cleanup EXIT
# Guard against deploying one environment with another's configuration.
CONFIG_ENV=$(config_field "$CONFIG" environment) || die "cannot parse deploy configuration $CONFIG" 2
[[ $CONFIG_ENV == "$ENVIRONMENT" ]] ||
  die "deploy configuration is for '$CONFIG_ENV', not $ENVIRONMENT (pass the right --config or --environment)" 2

common=(--config "$CONFIG" ${region_args[@]+"${region_args[@]}"})
[[ $DRY_RUN == true ]] && common+=(--dry-run)

if [[ $ACTION == status ]]; then
  for s in ${SERVICE_LIST[@]+"${SERVICE_LIST[@]}"}; do deploy_cli status --service "$s" ${common[@]+"${common[@]}"}; done
  exit 0
fi

if [[ $ACTION == rollback ]]; then
  for s in ${SERVICE_LIST[@]+"${SERVICE_LIST[@]}"}; do
    log "rolling back $s"
    deploy_cli rollback --service "$s" --timeout "$TIMEOUT" --poll "$POLL" ${common[@]+"${common[@]}"}
  done
  exit 0
fi

[[ -n $TAG ]] || TAG=$(git_tag "$ALLOW_DIRTY")

# The pre-deploy step (issue 25): the release's migrations run once, as their own task
# started by the pre-deploy state machine, and must exit 0 before any service moves. A
# failure stops here with every service on the version it was running.
pre_deploy() {
  local status=0
  if [[ $DRY_RUN == true ]]; then log "dry run: pre-deploy of $TAG"; else log "pre-deploy: migrations of $TAG"; fi
  deploy_cli migrate --image-tag "$TAG" --timeout "$MIGRATION_TIMEOUT" --poll "$POLL" \
    ${common[@]+"${common[@]}"} || status=$?
  if [[ $status -ne 0 ]]; then
    printf 'error: the pre-deploy migration of %s failed (exit %d); no service was updated\n' "$TAG" "$status" >&2
    exit "$status"
  fi
}

# --migrate-only needs no task definition of the release: the state machine has its own.
if [[ $ACTION == migrate ]]; then
  pre_deploy
  log "pre-deploy of $TAG done"
  exit 0
fi

# The task definitions of the release being deployed, not of whatever is checked out
# (issue 25: the image came from --tag while the task definition came from the working
# tree). A tag is the 12-character SHA of the commit its images were built from, so the
# files are read from that commit; the working tree counts only when the tag is its own
# (the default tag, or --allow-dirty's). Prints the directory; fails when neither holds.
release_task_definitions() {
  local tag=$1 out f
  if [[ $tag =~ ^[0-9a-f]{12}$ ]] && git -C "$ROOT" cat-file -e "$tag^{commit}" 2>/dev/null; then
    out=$(mktemp -d)
    # migrate.json is not among them: the pre-deploy state machine registers Terraform's.
    for f in web.json server.json event-stream.json; do
      git -C "$ROOT" show "$tag:task-definitions/$f" >"$out/$f" 2>/dev/null || {
        rm -rf "$out"
        die "commit $tag has no task-definitions/$f" 2
      }
    done
    printf '%s\n' "$out"
  elif [[ $tag == "$(git_tag true 2>/dev/null)" ]]; then
    printf '%s\n' "$ROOT/task-definitions"
  else
    die "cannot find the task definitions release $tag was built with (it names no commit of this checkout): pass --task-definitions DIR" 2
  fi
}

if [[ -z $TASK_DIR ]]; then
  TASK_DIR=$(release_task_definitions "$TAG") || exit 2
  [[ $TASK_DIR == "$ROOT/task-definitions" ]] || TMP_TASK_DIR=$TASK_DIR
fi
[[ -d $TASK_DIR ]] || die "--task-definitions: no directory $TASK_DIR" 2
log "task definitions of $TAG: ${TASK_DIR/#$ROOT\//}"
PUBLIC_URL=${PUBLIC_URL:-$(config_field "$CONFIG" public_url)}
[[ -n $PUBLIC_URL ]] || warn "no public URL: health URLs will not be checked"
PUBLIC_URL=${PUBLIC_URL%/}

task_file() {
  case $1 in
    web) echo "$TASK_DIR/web.json" ;;
    game-server) echo "$TASK_DIR/server.json" ;;
    event-stream) echo "$TASK_DIR/event-stream.json" ;;
  esac
}

migrate_first=false
for s in ${SERVICE_LIST[@]+"${SERVICE_LIST[@]}"}; do [[ $s != game-server ]] || migrate_first=true; done
[[ $migrate_first == false ]] || pre_deploy

health_url() {
  [[ -n $PUBLIC_URL ]] || return 0
  case $1 in
    web) echo "$PUBLIC_URL/" ;;
    game-server) echo "$PUBLIC_URL/api/agents" ;;
    event-stream) ;;
  esac
}

for s in ${SERVICE_LIST[@]+"${SERVICE_LIST[@]}"}; do
  if [[ $DRY_RUN == true ]]; then log "dry run: $s:$TAG ($ENVIRONMENT)"; else log "deploying $s:$TAG ($ENVIRONMENT)"; fi
  args=(deploy --service "$s" --file "$(task_file "$s")" --image-tag "$TAG" --timeout "$TIMEOUT" --poll "$POLL")
  url=$(health_url "$s")
  [[ -n $url ]] && args+=(--health-url "$url" --attempts "$HEALTH_ATTEMPTS" --interval "$HEALTH_INTERVAL")
  status=0
  deploy_cli ${args[@]+"${args[@]}"} ${common[@]+"${common[@]}"} || status=$?
  if [[ $status -ne 0 ]]; then
    printf 'error: %s rollout failed (exit %d); services after it were not touched\n' "$s" "$status" >&2
    exit "$status"
  fi
  log "$s: deployed $TAG"
done
log "all services on $TAG"
