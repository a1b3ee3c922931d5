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

# The image tag for this checkout: the commit SHA (12 characters). A dirty tree is
# refused unless allowed, and then tagged <sha>-dirty-<hash of the changes>: an
# immutable repository must never hold uncommitted bits under a clean commit's tag.
git_tag() {
  local allow_dirty=$1 sha changes
  git -C "$ROOT" rev-parse --verify HEAD >/dev/null 2>&1 || die "not a git checkout: pass --tag" 2
  sha=$(git -C "$ROOT" rev-parse --short=12 HEAD)
  changes=$(git -C "$ROOT" status --porcelain --untracked-files=no)
  if [[ -z $changes ]]; then
    printf '%s\n' "$sha"
  elif [[ $allow_dirty == true ]]; then
    printf '%s-dirty-%s\n' "$sha" "$(git -C "$ROOT" diff HEAD | sha256sum | cut -c1-8)"
  else
    die "uncommitted changes: commit them, pass --tag, or --allow-dirty" 2
  fi
}

# Writes the environment's deploy configuration (published by Terraform in SSM) to a
# file and prints its path, unless --config gave one. Region arguments pass through.
deploy_config_file() {
  local environment=$1 given=$2
  shift 2
  if [[ -n $given ]]; then
    [[ -r $given ]] || die "cannot read deploy configuration $given" 2
    printf '%s\n' "$given"
    return
  fi
  local file
  file=$(mktemp)
  log "reading the $environment deploy configuration from SSM (/monkeytown-$environment/deploy-config)"
  deploy_cli config --environment "$environment" "$@" >"$file" || {
    rm -f "$file"
    die "no deploy configuration for $environment: check the region and credentials, or pass --config" 2
  }
  printf '%s\n' "$file"
}

# Prints one field of a deploy configuration file (node is needed for the CLI anyway).
config_field() {
  node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = c.deploy_config?.value ?? c; process.stdout.write(String(v[process.argv[2]] ?? ""))' "$1" "$2"
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
