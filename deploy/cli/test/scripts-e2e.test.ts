/**
 * The two scripts with the real deploy CLI and the real AWS SDK over HTTP,
 * against fake-aws.ts (and a recording fake docker): the whole operator path
 * except AWS and Docker themselves.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, digestOf, startFakeAws, type FakeAws } from './fake-aws.js';
import { ROOT, sampleConfig } from './helpers.js';

const CLUSTER = 'monkeytown-production';
const PKG = path.join(ROOT, 'deploy/cli');
const CLI_BUNDLE = path.join(PKG, 'dist/cli.e2e.js');
const dir = mkdtempSync(path.join(tmpdir(), 'mt-e2e-'));
const dockerLog = path.join(dir, 'docker.log');
const fakeDocker = path.join(dir, 'docker');
const cliWrapper = path.join(dir, 'deploy-cli');
let fake: FakeAws;

beforeAll(async () => {
  // Bundle the current sources (dist/ is git-ignored); node starts it much faster than tsx.
  await build({ entryPoints: [path.join(PKG, 'src/cli.ts')], bundle: true, platform: 'node', target: 'node22', format: 'esm', packages: 'external', outfile: CLI_BUNDLE, logLevel: 'error' });
  writeFileSync(cliWrapper, `#!/usr/bin/env bash\nexec node ${JSON.stringify(CLI_BUNDLE)} "$@"\n`);
  writeFileSync(fakeDocker, `#!/usr/bin/env bash\nstdin=""; [[ $1 == login ]] && stdin=$(cat)\nprintf '%s|%s\\n' "$*" "$stdin" >> ${JSON.stringify(dockerLog)}\n`);
  chmodSync(cliWrapper, 0o755);
  chmodSync(fakeDocker, 0o755);
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(CLI_BUNDLE, { force: true });
});
const TAG = 'c0ffee123456';
beforeEach(async () => {
  fake = await startFakeAws(CLUSTER, ['web', 'game-server', 'event-stream']);
  // What terraform apply made: the repositories and the deploy configuration in SSM.
  fake.repositories.add('monkeytown-production/web').add('monkeytown-production/server');
  fake.parameters.set('/monkeytown-production/deploy-config', JSON.stringify(sampleConfig({ publicUrl: fake.url })));
  rmSync(dockerLog, { force: true });
});
afterEach(() => fake.close());

/** Runs a script asynchronously (the fake AWS lives in this process). */
function script(
  name: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  root = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string; docker: string[] }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ENDPOINT_URL: fake.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '2',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    MONKEYTOWN_DEPLOY_CLI: cliWrapper,
    DOCKER: fakeDocker,
    ...extraEnv,
  };
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(root, 'deploy/scripts', name), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      let docker: string[] = [];
      try {
        docker = readFileSync(dockerLog, 'utf8').trim().split('\n');
      } catch {
        /* docker never ran */
      }
      resolve({ code, stdout, stderr, docker });
    });
  });
}

// TAG names no commit here, so the task definitions are named explicitly (as for a
// release built elsewhere); the release-from-commit path has tests of its own below.
const timing = ['--poll', '0.2', '--timeout', '20', '--health-attempts', '2', '--health-interval', '0'];
const deployArgs = (...extra: string[]) => ['--environment', 'production', '--tag', TAG, '--task-definitions', path.join(ROOT, 'task-definitions'), ...timing, ...extra];
const pushed = () => fake.images.add(`monkeytown-production/web:${TAG}`).add(`monkeytown-production/server:${TAG}`);
const count = (op: string) => fake.calls.filter((c) => c === op).length;
const updates = () => fake.bodies.filter((b) => b.op === 'ECS.UpdateService').map((b) => `${b.body.service}:${String(b.body.taskDefinition).split(':').pop()}`);

describe('ecr-push.sh end to end', () => {
  it('reads the configuration from SSM, logs in with the ECR token and pushes both images by tag', async () => {
    const r = await script('ecr-push.sh', ['--environment', 'production', '--tag', TAG]);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls).toContain('SSM.GetParameter');
    expect(fake.calls).not.toContain('ECR.CreateRepository');
    const registry = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
    expect(r.docker[0]).toBe(`login --username AWS --password-stdin ${registry}|fake-ecr-password`);
    expect(r.docker.filter((l) => l.startsWith('push '))).toEqual([
      `push ${registry}/monkeytown-production/web:${TAG}|`,
      `push ${registry}/monkeytown-production/server:${TAG}|`,
    ]);
    expect(r.docker.filter((l) => l.startsWith('login'))).toHaveLength(1);
  });

  it('a missing repository stops the push: Terraform owns ECR', async () => {
    fake.repositories.delete('monkeytown-production/server');
    const r = await script('ecr-push.sh', ['--environment', 'production', '--tag', TAG, '--image', 'server']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ECR repository monkeytown-production\/server does not exist in us-east-1\. Terraform owns the repositories/);
    expect(fake.calls).not.toContain('ECR.CreateRepository');
    expect(r.docker).toEqual([]);
  });

  it('refuses another region than Terraform\'s', async () => {
    const r = await script('ecr-push.sh', ['--environment', 'production', '--tag', TAG], { AWS_REGION: 'eu-west-1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/region mismatch: Terraform deployed production to us-east-1, but the AWS client is set to eu-west-1/);
    expect(r.docker).toEqual([]);
  });

  it('--dry-run creates nothing and runs no docker command', async () => {
    const r = await script('ecr-push.sh', ['--environment', 'production', '--tag', TAG, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls.filter((c) => !/\.(Describe|Get|List)/.test(c))).toEqual([]);
    expect(r.docker).toEqual([]);
    expect(r.stderr).toMatch(/\[dry-run\] would run: .* build /);
  });
});

describe('ecs-deploy.sh end to end', () => {
  it('rolls out all three services by digest, verified, health-checked and recorded', async () => {
    pushed();
    const r = await script('ecs-deploy.sh', deployArgs());
    expect(r.code, r.stderr).toBe(0);
    expect(updates()).toEqual(['game-server:2', 'event-stream:2', 'web:2']);
    const images = fake.bodies.filter((b) => b.op === 'ECS.RegisterTaskDefinition').map((b) => (b.body.containerDefinitions as { image: string }[])[0]?.image);
    const server = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/server@${digestOf(`monkeytown-production/server:${TAG}`)}`;
    // The three services only: the pre-deploy state machine registers the migrate task, not the deploy CLI.
    expect(images).toEqual([server, server, `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/web@${digestOf(`monkeytown-production/web:${TAG}`)}`]);
    expect(fake.executions.map((e) => [e.input, e.status])).toEqual([[JSON.stringify({ digest: digestOf(`monkeytown-production/server:${TAG}`) }), 'SUCCEEDED']]);
    expect([...fake.tags.keys()].map((a) => a.split('/').pop()).sort()).toEqual([
      'monkeytown-production-event-stream:1', 'monkeytown-production-event-stream:2',
      'monkeytown-production-game-server:1', 'monkeytown-production-game-server:2',
      'monkeytown-production-web:1', 'monkeytown-production-web:2',
    ]);
    // Each image rolled out is kept past ECR's newest-50 rule, once (game-server and
    // event-stream share the server image: the second keep finds the tag there).
    const keep = (repo: string) => {
      const digest = digestOf(`monkeytown-production/${repo}:${TAG}`);
      return [`monkeytown-production/${repo}:deployed-${digest.replace(':', '-')}`, digest];
    };
    expect([...fake.addedTags.entries()]).toEqual([keep('server'), keep('web')]);
    expect(r.stderr).toMatch(/all services on c0ffee123456/);
  }, 60_000);

  it('a tag that was never pushed fails before anything is registered', async () => {
    const r = await script('ecs-deploy.sh', deployArgs());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/image monkeytown-production\/server:c0ffee123456 is not in ECR \(us-east-1\)/);
    expect(fake.calls.filter((c) => c === 'ECS.RegisterTaskDefinition' || c === 'ECS.UpdateService')).toEqual([]);
  }, 60_000);

  it('refuses another region than Terraform\'s before touching a service', async () => {
    pushed();
    const r = await script('ecs-deploy.sh', deployArgs('--region', 'eu-west-1'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/region mismatch/);
    expect(fake.calls.filter((c) => c.startsWith('ECS.'))).toEqual([]);
  }, 60_000);

  it('a circuit-breaker rollback fails the run and stops before the next service', async () => {
    pushed();
    fake.scenario['event-stream'] = 'circuit-breaker';
    const r = await script('ecs-deploy.sh', deployArgs());
    expect(r.code).toBe(1);
    expect(updates()).toEqual(['game-server:2', 'event-stream:2']);
    expect(r.stderr).toMatch(/DEPLOY FAILED for event-stream: circuit breaker rolled back: rollout FAILED: ECS deployment circuit breaker/);
    expect(r.stderr).toMatch(/event-stream rollout failed \(exit 1\)/);
  }, 60_000);

  it('a failing health URL rolls the service back to its previous revision', async () => {
    pushed();
    fake.healthStatus = 503;
    const r = await script('ecs-deploy.sh', deployArgs('--services', 'game-server'));
    expect(r.code).toBe(1);
    expect(updates()).toEqual(['game-server:2', 'game-server:1']);
    expect(r.stderr).toMatch(/health check failed: .*\/api\/agents did not answer 2xx after 2 attempts \(last: HTTP 503\)/);
    expect(r.stderr).toMatch(/Rolled back to monkeytown-production-game-server:1 \(by deploy-cli\)/);
  }, 60_000);

  it('a rollout that never settles times out and is rolled back', async () => {
    pushed();
    fake.scenario.web = 'stuck';
    const r = await script('ecs-deploy.sh', deployArgs('--services', 'web', '--timeout', '3'));
    expect(r.code).toBe(1);
    expect(updates()).toEqual(['web:2', 'web:1']);
    expect(r.stderr).toMatch(/waiter timed out/);
  }, 60_000);

  it('throttling is retried by the SDK, then reported clearly', async () => {
    pushed();
    fake.throttle.add('ECS.UpdateService');
    const r = await script('ecs-deploy.sh', deployArgs('--services', 'web'));
    expect(r.code).toBe(3);
    expect(count('ECS.UpdateService')).toBe(2); // AWS_MAX_ATTEMPTS=2
    expect(r.stderr).toMatch(/AWS throttled ecs:UpdateService web -> monkeytown-production-web:2 \(ThrottlingException\) after 2 attempts/);
  }, 60_000);

  it('--dry-run reads but changes nothing', async () => {
    pushed();
    const r = await script('ecs-deploy.sh', deployArgs('--dry-run'));
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls.length).toBeGreaterThan(0);
    expect(fake.calls.filter((c) => !/\.(Describe|Get|List)/.test(c))).toEqual([]);
    expect(r.stderr).toMatch(/\[dry-run\] would update service web in monkeytown-production: monkeytown-production-web:1 -> monkeytown-production-web:<new revision>/);
  }, 60_000);

  it('--rollback goes to the last revision that deployed successfully, for the named service only', async () => {
    pushed();
    const web = (...extra: string[]) => script('ecs-deploy.sh', deployArgs('--services', 'web', ...extra));
    expect((await web()).code).toBe(0); // web:2 recorded (and web:1, the steady bootstrap revision)
    fake.healthStatus = 503;
    expect((await web()).code).toBe(1); // web:3 fails its health check: rolled back to 2, never recorded
    fake.healthStatus = 200;
    expect((await web()).code).toBe(0); // web:4
    const r = await script('ecs-deploy.sh', ['--environment', 'production', '--services', 'web', '--rollback', '--poll', '0.2']);
    expect(r.code, r.stderr).toBe(0);
    expect(updates()).toEqual(['web:2', 'web:3', 'web:2', 'web:4', 'web:2']);
    expect(updates().filter((u) => !u.startsWith('web:'))).toEqual([]);
  }, 90_000);
});

// Issue 25: migrations run once, as their own task, before any service is updated, and
// the deploy role's only part in that is starting the pre-deploy state machine with the
// release's digest: it registers no migrate revision and runs no task itself.
describe('ecs-deploy.sh runs the pre-deploy state machine first', () => {
  const families = () => fake.bodies.filter((b) => b.op === 'ECS.RegisterTaskDefinition').map((b) => String(b.body.family));
  const writes = () => fake.calls.filter((c) => /^(SFN\.(StartExecution|StopExecution)|ECS\.(RunTask|StopTask|UpdateService|RegisterTaskDefinition))$/.test(c));
  const serverDigest = () => digestOf(`monkeytown-production/server:${TAG}`);

  it('starts the state machine with the release\'s server digest, waits for it to succeed, and only then updates the services', async () => {
    pushed();
    const r = await script('ecs-deploy.sh', deployArgs());
    expect(r.code, r.stderr).toBe(0);
    expect(writes()).toEqual([
      'SFN.StartExecution',
      'ECS.RegisterTaskDefinition', 'ECS.UpdateService',
      'ECS.RegisterTaskDefinition', 'ECS.UpdateService',
      'ECS.RegisterTaskDefinition', 'ECS.UpdateService',
    ]);
    // The execution had SUCCEEDED before the first service was touched: DescribeExecution saw it in between.
    const start = fake.calls.indexOf('SFN.StartExecution');
    const firstRegister = fake.calls.indexOf('ECS.RegisterTaskDefinition');
    expect(fake.calls.slice(start, firstRegister).filter((c) => c === 'SFN.DescribeExecution').length).toBeGreaterThanOrEqual(3);
    expect(fake.executions).toHaveLength(1);
    expect(fake.executions[0]).toMatchObject({ stateMachineArn: fake.stateMachineArn, status: 'SUCCEEDED' });
    expect(JSON.parse(fake.executions[0]!.input)).toEqual({ digest: serverDigest() });
    expect(families()).not.toContain('monkeytown-production-migrate');
    expect(r.stderr).toMatch(/migrate exited 0/);
  }, 60_000);

  it('a failed execution stops the rollout with every service on its running version', async () => {
    pushed();
    fake.migration = 'fail';
    const r = await script('ecs-deploy.sh', deployArgs());
    expect(r.code).toBe(1);
    expect(writes()).toEqual(['SFN.StartExecution']);
    expect(fake.executions.map((e) => e.status)).toEqual(['FAILED']);
    expect(r.stderr).toMatch(/pre-deploy migration failed: execution \S+ ended FAILED: Monkeytown\.MigrationFailed: migrate exited 1 .*No service was updated/);
    expect(r.stderr).toMatch(/error: the pre-deploy migration of c0ffee123456 failed \(exit 1\); no service was updated/);
  }, 60_000);

  it('an execution that overruns --migration-timeout is stopped and nothing is updated', async () => {
    pushed();
    fake.migration = 'stuck';
    const r = await script('ecs-deploy.sh', deployArgs('--migration-timeout', '1'));
    expect(r.code).toBe(1);
    expect(writes()).toEqual(['SFN.StartExecution', 'SFN.StopExecution']);
    expect(fake.executions.map((e) => e.status)).toEqual(['ABORTED']);
    expect(r.stderr).toMatch(/did not finish within 1 s .*it was stopped/);
  }, 60_000);

  it('a web-only rollout runs no migration; --migrate-only runs only the migration', async () => {
    pushed();
    expect((await script('ecs-deploy.sh', deployArgs('--services', 'web'))).code).toBe(0);
    expect(writes()).toEqual(['ECS.RegisterTaskDefinition', 'ECS.UpdateService']);
    fake.calls.length = 0;
    const r = await script('ecs-deploy.sh', deployArgs('--migrate-only'));
    expect(r.code, r.stderr).toBe(0);
    expect(writes()).toEqual(['SFN.StartExecution']);
    expect(r.stderr).toMatch(/pre-deploy of c0ffee123456 done/);
  }, 60_000);

  it('--migrate-only needs no task definitions of the release (Terraform\'s first apply runs it from any checkout)', async () => {
    pushed();
    const r = await script('ecs-deploy.sh', ['--environment', 'production', '--tag', TAG, ...timing, '--migrate-only']);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  }, 60_000);
});

// Issue 25: the task definitions deployed are the release's, not the working tree's.
describe('ecs-deploy.sh takes the task definitions from the release it deploys', () => {
  const registered = (service: string) =>
    fake.bodies
      .filter((b) => b.op === 'ECS.RegisterTaskDefinition' && String(b.body.family).endsWith(`-${service}`))
      .map((b) => (b.body.containerDefinitions as { name: string; environment?: { name: string; value: string }[] }[]).find((c) => c.name === service)!);

  it('a tag that names no commit here, without --task-definitions, is refused before anything changes', async () => {
    pushed();
    const r = await script('ecs-deploy.sh', ['--environment', 'production', '--tag', TAG, ...timing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot find the task definitions release c0ffee123456 was built with .*--task-definitions DIR/);
    expect(fake.calls.filter((c) => c === 'ECS.RegisterTaskDefinition' || c === 'ECS.UpdateService')).toEqual([]);
  }, 60_000);

  it('reads them from the commit the tag names, even when the working tree differs', async () => {
    // A checkout of its own: the scripts, the task definitions, one commit; then a change
    // to web.json that is NOT part of that release.
    const repo = mkdtempSync(path.join(tmpdir(), 'mt-release-'));
    try {
      mkdirSync(path.join(repo, 'deploy'), { recursive: true });
      cpSync(path.join(ROOT, 'deploy/scripts'), path.join(repo, 'deploy/scripts'), { recursive: true });
      cpSync(path.join(ROOT, 'task-definitions'), path.join(repo, 'task-definitions'), { recursive: true });
      const git = (...a: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...a], { encoding: 'utf8' }).trim();
      git('init', '-q');
      git('add', '-A');
      git('commit', '-qm', 'release');
      const release = git('rev-parse', '--short=12', 'HEAD');
      const web = path.join(repo, 'task-definitions/web.json');
      writeFileSync(web, readFileSync(web, 'utf8').replace('{ "name": "TRUST_PROXY_HOPS", "value": "1" }', '{ "name": "TRUST_PROXY_HOPS", "value": "7" }'));
      fake.images.add(`monkeytown-production/web:${release}`);

      const r = await script('ecs-deploy.sh', ['--environment', 'production', '--tag', release, '--services', 'web', ...timing], {}, repo);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`task definitions of ${release}: /`)); // a copy from the commit, not task-definitions/
      expect(registered('web').map((c) => c.environment?.find((e) => e.name === 'TRUST_PROXY_HOPS')?.value)).toEqual(['1']);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }, 60_000);
});
