# shellcheck shell=bash
# Shared helpers for ecr-push.sh and ecs-deploy.sh (sourced, not run).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$1" >&2
  exit "${2:-2}"
}

# Runs the TypeScript deploy CLI (deploy/cli): MONKEYTOWN_DEPLOY_CLI if set (an
# executable), else the built bundle, else the sources through tsx.
deploy_cli() {
  if [[ -n ${MONKEYTOWN_DEPLOY_CLI:-} ]]; then
    "$MONKEYTOWN_DEPLOY_CLI" "$@"
  elif [[ -f $ROOT/deploy/cli/dist/cli.js ]]; then
    node "$ROOT/deploy/cli/dist/cli.js" "$@"
  elif [[ -x $ROOT/node_modules/.bin/tsx ]]; then
    "$ROOT/node_modules/.bin/tsx" "$ROOT/deploy/cli/src/cli.ts" "$@"
  else
    die "deploy CLI not found: run 'npm ci && npm run build -w @monkeytown/deploy-cli' first" 2
  fi
}

# The image tag for this checkout: the commit SHA (12 characters). Refuses a
# dirty tree unless allowed, because the tag must mean exactly one source state.
git_tag() {
  local allow_dirty=$1
  git -C "$ROOT" rev-parse --verify HEAD >/dev/null 2>&1 || die "not a git checkout: pass --tag" 2
  if [[ $allow_dirty != true ]] && [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no) ]]; then
    die "uncommitted changes: commit them, pass --tag, or --allow-dirty" 2
  fi
  git -C "$ROOT" rev-parse --short=12 HEAD
}

require_value() {
  [[ $# -ge 2 && -n $2 && $2 != -* ]] || die "$1 needs a value (see --help)" 2
}

valid_environment() {
  [[ $1 == development || $1 == production ]] || die "--environment must be development or production, got '$1'" 2
}

# Prints a command instead of running it when DRY_RUN=true.
run_or_print() {
  if [[ ${DRY_RUN:-false} == true ]]; then
    printf '[dry-run] would run:' >&2
    printf ' %q' "$@" >&2
    printf '\n' >&2
  else
    "$@"
  fi
}
