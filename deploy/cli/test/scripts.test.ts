import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFile, ROOT, sampleConfig } from './helpers.js';
import { run, toolAvailable } from './tools.js';

const SCRIPTS_DIR = path.join(ROOT, 'deploy/scripts');
const scripts = readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith('.sh'));
const entryPoints = ['ecr-push.sh', 'ecs-deploy.sh'];

const hasShellcheck = toolAvailable('shellcheck');
describe.skipIf(!hasShellcheck)('shellcheck', () => {
  it.each(scripts)('%s passes', (f) => {
    const r = run('shellcheck', ['-x', '--severity=style', f], { cwd: SCRIPTS_DIR });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

// macOS ships bash 3.2, where `set -u` makes "${a[@]}" of an empty array an "unbound
// variable" error (bash ≥ 4.4 allows it, so running the scripts here cannot show it, and
// BASH_COMPAT does not bring it back): every array expansion is written
// ${a[@]+"${a[@]}"}, which expands to nothing for an empty array in every bash.
describe('bash 3.2 (macOS): no bare array expansion under set -u', () => {
  it.each(scripts)('%s', (f) => {
    const lines = readFileSync(path.join(SCRIPTS_DIR, f), 'utf8').split('\n');
    const bare = lines
      .map((line, i) => ({ line: i + 1, text: line }))
      .filter(({ text }) => !text.trimStart().startsWith('#'))
      // "${a[@]}" or ${a[*]} not preceded by the `${a[@]+` guard (counts ${#a[@]} are fine).
      .filter(({ text }) => /(?<![+#])"?\$\{\w+\[[@*]\]\}/.test(text.replace(/\$\{(\w+)\[@\]\+"\$\{\1\[@\]\}"\}/g, '')))
      // A [*] join right after a count check that short-circuits on empty is fine.
      .filter(({ text }) => !/\$\{#(\w+)\[@\]\} -eq 0 \|\|/.test(text));
    expect(bare, 'write ${a[@]+"${a[@]}"}').toEqual([]);
  });
});

describe('--help documents every input', () => {
  it.each(entryPoints)('%s', (f) => {
    const src = readFileSync(path.join(SCRIPTS_DIR, f), 'utf8');
    expect(src.split('\n').slice(0, 4).join('\n')).toMatch(/^#!\/usr\/bin\/env bash[\s\S]*set -euo pipefail/);
    const r = run('bash', [path.join(SCRIPTS_DIR, f), '--help']);
    expect(r.status).toBe(0);
    // Every option the argument loop accepts and every variable it reads is in the help.
    const options = [...src.matchAll(/^\s+((?:-\w \| )?--[\w-]+)\)/gm)].map((m) => (m[1] as string).split(' | ').pop() as string);
    expect(options.length).toBeGreaterThan(5);
    for (const o of options) expect(r.stdout, `${f} --help lacks ${o}`).toContain(o);
    const envVars = [...src.matchAll(/\$\{(MONKEYTOWN_\w+|DOCKER|TERRAFORM)[:}]/g)].map((m) => m[1] as string);
    for (const v of new Set([...envVars, 'MONKEYTOWN_DEPLOY_CLI', 'AWS_PROFILE'])) expect(r.stdout, `${f} --help lacks ${v}`).toContain(v);
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  it.each(entryPoints)('%s rejects an unknown option with exit 2', (f) => {
    const r = run('bash', [path.join(SCRIPTS_DIR, f), '--frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
  });
});

/** Fake deploy CLI and docker that record their arguments (and stdin for docker login). */
const dir = mkdtempSync(path.join(tmpdir(), 'mt-scripts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cliLog = path.join(dir, 'cli.log');
const dockerLog = path.join(dir, 'docker.log');
const fakeCli = path.join(dir, 'fake-cli');
const fakeDocker = path.join(dir, 'fake-docker');
writeFileSync(
  fakeCli,
  `#!/usr/bin/env bash
printf '%s\\n' "$*" >> ${JSON.stringify(cliLog)}
case "$1" in
  config) cat ${JSON.stringify('__CONFIG__')} ;;
  push-plan)
    repo=$5; tag=$7
    exists=false; [[ $repo == */server && -n \${SERVER_EXISTS:-} ]] && exists=true
    printf "REGISTRY='111122223333.dkr.ecr.us-east-1.amazonaws.com'\\nIMAGE_URI='111122223333.dkr.ecr.us-east-1.amazonaws.com/%s:%s'\\nEXISTS='%s'\\nDRY_RUN='false'\\n" "$repo" "$tag" "$exists" ;;
  ecr-login) printf 'token-from-ecr\\n' ;;
  deploy) [[ " $* " == *" --service \${FAIL_SERVICE:-none} "* ]] && { echo "DEPLOY FAILED" >&2; exit 1; } ; echo '{"status":"deployed"}' ;;
esac
`,
);
writeFileSync(
  fakeDocker,
  `#!/usr/bin/env bash
stdin=""; [[ $1 == login ]] && stdin=$(cat)
printf '%s %s\\n' "$*" "$stdin" >> ${JSON.stringify(dockerLog)}
`,
);
chmodSync(fakeCli, 0o755);
chmodSync(fakeDocker, 0o755);
const config = configFile();
// What `config --environment ...` prints (the fake CLI cats it): the same configuration.
writeFileSync(fakeCli, readFileSync(fakeCli, 'utf8').replace(JSON.stringify('__CONFIG__'), JSON.stringify(config)));

function script(name: string, args: string[], env: Record<string, string> = {}) {
  rmSync(cliLog, { force: true });
  rmSync(dockerLog, { force: true });
  const r = run('bash', [path.join(SCRIPTS_DIR, name), ...args], {
    env: { ...process.env, MONKEYTOWN_DEPLOY_CLI: fakeCli, DOCKER: fakeDocker, ...env },
  });
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { ...r, cli: read(cliLog), docker: read(dockerLog) };
}

describe('ecr-push.sh', () => {
  it('--dry-run plans both images read-only and runs no docker command', () => {
    const r = script('ecr-push.sh', ['--environment', 'production', '--tag', 'abc123', '--dry-run', '--config', config]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.cli).toEqual([
      `push-plan --config ${config} --repository monkeytown-production/web --tag abc123 --format env --dry-run`,
      `push-plan --config ${config} --repository monkeytown-production/server --tag abc123 --format env --dry-run`,
    ]);
    expect(r.docker).toEqual([]);
    expect(r.stderr).toMatch(/\[dry-run\] would run: .*fake-docker build --platform linux\/amd64 --file .*deploy\/docker\/Dockerfile\.web/);
    expect(r.stdout.trim().split('\n')).toEqual([
      'web 111122223333.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/web:abc123',
      'server 111122223333.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/server:abc123',
    ]);
  });

  it('logs in with the ECR token on stdin, builds, tags by SHA and pushes; skips a tag already pushed', () => {
    const dev = configFile({ ...sampleConfig(), environment: 'development' });
    const r = script('ecr-push.sh', ['--tag', 'abc123', '--region', 'eu-west-1', '--config', dev], { SERVER_EXISTS: '1' });
    expect(r.status, r.stderr).toBe(0);
    const uri = '111122223333.dkr.ecr.us-east-1.amazonaws.com/monkeytown-development/web:abc123';
    expect(r.docker[0]).toBe('login --username AWS --password-stdin 111122223333.dkr.ecr.us-east-1.amazonaws.com token-from-ecr');
    expect(r.docker[1]).toMatch(new RegExp(`^build --platform linux/amd64 --file ${ROOT}/deploy/docker/Dockerfile.web --tag ${uri} --label org.opencontainers.image.revision=abc123 ${ROOT}`));
    expect(r.docker[2]?.trim()).toBe(`push ${uri}`);
    expect(r.docker).toHaveLength(3); // server: already in ECR
    expect(r.cli).toContain('ecr-login --output password --region eu-west-1');
    expect(r.stderr).toMatch(/monkeytown-development\/server:abc123 is already in ECR/);
  });

  it('builds the server image with the RDS CA bundle required, and reads the configuration from SSM by default', () => {
    const r = script('ecr-push.sh', ['--environment', 'production', '--image', 'server', '--tag', 'abc123', '--region', 'us-east-1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.cli[0]).toBe('config --environment production --region us-east-1');
    expect(r.cli[1]).toMatch(/^push-plan --config \/tmp\/\S+ --repository monkeytown-production\/server --tag abc123 --format env --region us-east-1$/);
    expect(r.docker.find((l) => l.startsWith('build '))).toMatch(/ --build-arg RDS_CA_REQUIRED=true .*Dockerfile\.server/);
  });

  it('refuses a configuration for another environment', () => {
    const r = script('ecr-push.sh', ['--environment', 'development', '--tag', 'abc123', '--config', config]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/deploy configuration .* is for 'production', not development/);
    expect(r.cli).toEqual([]);
  });

  it('refuses a bad environment or image', () => {
    expect(script('ecr-push.sh', ['--environment', 'staging', '--tag', 'x']).status).toBe(2);
    const r = script('ecr-push.sh', ['--image', 'db', '--tag', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--image must be web, server or all/);
  });
});

describe('ecs-deploy.sh', () => {
  // abc123 names no commit: the release's task definitions are named explicitly (scripts-e2e covers the commit path).
  const base = ['--environment', 'production', '--tag', 'abc123', '--task-definitions', path.join(ROOT, 'task-definitions'), '--config', config];

  it('deploys game-server, event-stream, web in order with their files and health URLs', () => {
    const r = script('ecs-deploy.sh', [...base, '--timeout', '600']);
    expect(r.status, r.stderr).toBe(0);
    const td = path.join(ROOT, 'task-definitions');
    const common = `--image-tag abc123 --timeout 600 --poll 10`;
    expect(r.cli).toEqual([
      // The pre-deploy step first (issue 25): the release's migrations, once, through the
      // state machine (which takes the tag's digest, never a task definition file).
      `migrate --image-tag abc123 --timeout 900 --poll 10 --config ${config}`,
      `deploy --service game-server --file ${td}/server.json ${common} --health-url https://play.monkeytown.example.com/api/agents --attempts 6 --interval 10 --config ${config}`,
      `deploy --service event-stream --file ${td}/event-stream.json ${common} --config ${config}`,
      `deploy --service web --file ${td}/web.json ${common} --health-url https://play.monkeytown.example.com/ --attempts 6 --interval 10 --config ${config}`,
    ]);
  });

  it('stops at the first failed rollout with its exit code and leaves later services alone', () => {
    const r = script('ecs-deploy.sh', base, { FAIL_SERVICE: 'event-stream' });
    expect(r.status).toBe(1);
    expect(r.cli.filter((l) => l.startsWith('deploy ')).map((l) => l.split(' ')[2])).toEqual(['game-server', 'event-stream']);
    expect(r.stderr).toMatch(/event-stream rollout failed \(exit 1\); services after it were not touched/);
  });

  it('--dry-run passes --dry-run to every CLI call', () => {
    const r = script('ecs-deploy.sh', [...base, '--services', 'web', '--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.cli).toHaveLength(1);
    expect(r.cli[0]).toMatch(/^deploy --service web .* --config \S+ --dry-run$/);
  });

  it('--rollback moves only the services it is given, and refuses to guess', () => {
    const none = script('ecs-deploy.sh', ['--environment', 'production', '--rollback', '--config', config]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/--rollback needs --services/);
    expect(none.cli).toEqual([]);
    expect(script('ecs-deploy.sh', ['--environment', 'production', '--services', 'web', '--rollback', '--config', config]).cli).toEqual([
      `rollback --service web --timeout 900 --poll 10 --config ${config}`,
    ]);
    expect(script('ecs-deploy.sh', ['--environment', 'production', '--services', 'all', '--rollback', '--config', config]).cli.map((l) => l.split(' ')[2])).toEqual(['game-server', 'event-stream', 'web']);
    const dev = configFile({ ...sampleConfig(), environment: 'development' });
    expect(script('ecs-deploy.sh', ['--services', 'event-stream', '--status', '--region', 'eu-west-1', '--config', dev]).cli).toEqual([
      `status --service event-stream --config ${dev} --region eu-west-1`,
    ]);
  });

  it('refuses a configuration from another environment', () => {
    const r = script('ecs-deploy.sh', ['--environment', 'development', '--tag', 'abc123', '--config', config]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/deploy configuration is for 'production', not development/);
    expect(r.cli).toEqual([]);
  });

  it('rejects an unknown service', () => {
    const r = script('ecs-deploy.sh', [...base, '--services', 'web,db']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown service 'db'/);
  });
});
