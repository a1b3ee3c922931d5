#!/usr/bin/env bash
# Build the Monkeytown images, tag them with the git SHA and push them to ECR.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/scripts/ecr-push.sh [options]

Builds the web and server images from deploy/docker/Dockerfile.{web,server},
tags them with the git commit SHA and pushes them to ECR
(<account>.dkr.ecr.<region>.amazonaws.com/monkeytown-<environment>/<image>:<tag>).
Terraform owns the repositories: a missing one is an error, never created here.
The region and account must be the ones Terraform deployed the environment to
(from its deploy configuration); anything else is refused. A tag already in ECR
is not rebuilt or pushed again. The server image must carry the RDS CA bundle.

Options:
  -e, --environment ENV   development | production (default: $MONKEYTOWN_ENV or development)
  -i, --image NAME        web | server | all (default all; repeatable)
  -t, --tag TAG           image tag (default: 12-character SHA of HEAD; a dirty tree is refused)
      --allow-dirty       allow a tree with uncommitted changes (tagged <sha>-dirty-<hash>)
  -c, --config FILE       deploy configuration (default: read from SSM /monkeytown-<env>/deploy-config)
  -r, --region REGION     AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION or the profile)
      --platform P        docker build platform (default linux/amd64, as the task definitions)
  -n, --dry-run           look up ECR read-only and print the docker commands instead of running them
  -h, --help              show this help

Environment:
  AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN
                          credentials; the account is read from STS, never hard-coded
  DOCKER                  docker binary (default: docker)
  MONKEYTOWN_DEPLOY_CLI   deploy CLI executable (default: deploy/cli/dist/cli.js, else tsx on the sources)

Output: one line per image on stdout: "<image> <image-uri>".
Exit codes: 0 pushed (or already there), 2 bad usage, wrong region/account or missing
repository, 3 AWS refused, other: docker failed.
USAGE
}

ENVIRONMENT=${MONKEYTOWN_ENV:-development}
TAG=""
ALLOW_DIRTY=false
REGION=""
CONFIG=""
PLATFORM=linux/amd64
DRY_RUN=false
IMAGES=()

while [[ $# -gt 0 ]]; do
  case $1 in
    -e | --environment) require_value "$@"; ENVIRONMENT=$2; shift 2 ;;
    -i | --image) require_value "$@"; IMAGES+=("$2"); shift 2 ;;
    -t | --tag) require_value "$@"; TAG=$2; shift 2 ;;
    --allow-dirty) ALLOW_DIRTY=true; shift ;;
    -r | --region) require_value "$@"; REGION=$2; shift 2 ;;
    -c | --config) require_value "$@"; CONFIG=$2; shift 2 ;;
    --platform) require_value "$@"; PLATFORM=$2; shift 2 ;;
    -n | --dry-run) DRY_RUN=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" 2 ;;
  esac
done
export DRY_RUN

valid_environment "$ENVIRONMENT"
if [[ ${#IMAGES[@]} -eq 0 || " ${IMAGES[*]} " == *" all "* ]]; then IMAGES=(web server); fi
for image in ${IMAGES[@]+"${IMAGES[@]}"}; do
  [[ $image == web || $image == server ]] || die "--image must be web, server or all, got '$image'" 2
done
[[ -n $TAG ]] || TAG=$(git_tag "$ALLOW_DIRTY")
[[ $TAG =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "invalid image tag '$TAG'" 2

DOCKER=${DOCKER:-docker}
region_args=()
[[ -n $REGION ]] && region_args+=(--region "$REGION")
cli_args=(${region_args[@]+"${region_args[@]}"})
[[ $DRY_RUN == true ]] && cli_args+=(--dry-run)

given_config=$CONFIG
CONFIG=$(deploy_config_file "$ENVIRONMENT" "$CONFIG" ${region_args[@]+"${region_args[@]}"})
[[ $CONFIG == "$given_config" ]] || trap 'rm -f "$CONFIG"' EXIT
[[ $(config_field "$CONFIG" environment) == "$ENVIRONMENT" ]] ||
  die "deploy configuration $CONFIG is for '$(config_field "$CONFIG" environment)', not $ENVIRONMENT" 2

logged_in=""
for image in ${IMAGES[@]+"${IMAGES[@]}"}; do
  repository="monkeytown-$ENVIRONMENT/$image"
  REGISTRY="" IMAGE_URI="" EXISTS=""
  # KEY='value' lines from the CLI; parsed, never eval'd.
  while IFS='=' read -r key value; do
    value=${value#\'}
    value=${value%\'}
    case $key in
      REGISTRY) REGISTRY=$value ;;
      IMAGE_URI) IMAGE_URI=$value ;;
      EXISTS) EXISTS=$value ;;
    esac
  done < <(deploy_cli push-plan --config "$CONFIG" --repository "$repository" --tag "$TAG" --format env ${cli_args[@]+"${cli_args[@]}"})
  [[ -n $IMAGE_URI && -n $REGISTRY ]] || die "no push plan for $repository (see the error above)" 2

  if [[ $EXISTS == true ]]; then
    log "$IMAGE_URI is already in ECR (tags are immutable): skipping build and push"
    printf '%s %s\n' "$image" "$IMAGE_URI"
    continue
  fi

  if [[ $logged_in != "$REGISTRY" ]]; then
    log "docker login $REGISTRY (token from ecr:GetAuthorizationToken)"
    if [[ $DRY_RUN == true ]]; then
      run_or_print "$DOCKER" login --username AWS --password-stdin "$REGISTRY"
    else
      deploy_cli ecr-login --output password ${cli_args[@]+"${cli_args[@]}"} |
        "$DOCKER" login --username AWS --password-stdin "$REGISTRY" >/dev/null
    fi
    logged_in=$REGISTRY
  fi

  build_args=()
  # An image for AWS must verify the database certificate: the build fails without the bundle.
  [[ $image == server ]] && build_args+=(--build-arg RDS_CA_REQUIRED=true)
  log "building $image for $PLATFORM as $IMAGE_URI"
  run_or_print "$DOCKER" build \
    --platform "$PLATFORM" \
    ${build_args[@]+"${build_args[@]}"} \
    --file "$ROOT/deploy/docker/Dockerfile.$image" \
    --tag "$IMAGE_URI" \
    --label "org.opencontainers.image.revision=$TAG" \
    "$ROOT"
  log "pushing $IMAGE_URI"
  run_or_print "$DOCKER" push "$IMAGE_URI"
  printf '%s %s\n' "$image" "$IMAGE_URI"
done
