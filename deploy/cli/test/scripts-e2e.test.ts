/**
 * The two scripts with the real deploy CLI and the real AWS SDK over HTTP,
 * against fake-aws.ts (and a recording fake docker): the whole operator path
 * except AWS and Docker themselves.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, startFakeAws, type FakeAws } from './fake-aws.js';
import { ROOT, sampleVars } from './helpers.js';

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
beforeEach(async () => {
  fake = await startFakeAws(CLUSTER, ['web', 'game-server', 'event-stream']);
  rmSync(dockerLog, { force: true });
});
afterEach(() => fake.close());

function varsFile(): string {
  const file = path.join(dir, 'vars.json');
  const vars = Object.fromEntries(['web', 'game-server', 'event-stream'].map((s) => [s, { ...sampleVars(s), PUBLIC_URL: fake.url }]));
  writeFileSync(file, JSON.stringify({ task_definition_vars: { sensitive: false, type: 'object', value: vars } }));
  return file;
}

/** Runs a script asynchronously (the fake AWS lives in this process). */
function script(name: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; docker: string[] }> {
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
  };
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(ROOT, 'deploy/scripts', name), ...args], { env });
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

const deployArgs = (...extra: string[]) => ['--environment', 'production', '--tag', 'c0ffee123456', '--vars-file', varsFile(), '--poll', '0.2', '--timeout', '20', '--health-attempts', '2', '--health-interval', '0', ...extra];
const count = (op: string) => fake.calls.filter((c) => c === op).length;
const updates = () => fake.bodies.filter((b) => b.op === 'ECS.UpdateService').map((b) => `${b.body.service}:${String(b.body.taskDefinition).split(':').pop()}`);

describe('ecr-push.sh end to end', () => {
  it('creates the repositories, logs in with the ECR token and pushes both images by tag', async () => {
    const r = await script('ecr-push.sh', ['--environment', 'production', '--tag', 'c0ffee123456']);
    expect(r.code, r.stderr).toBe(0);
    const created = fake.bodies.filter((b) => b.op === 'ECR.CreateRepository').map((b) => b.body);
    expect(created).toEqual([
      expect.objectContaining({ repositoryName: 'monkeytown-production/web', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } }),
      expect.objectContaining({ repositoryName: 'monkeytown-production/server', imageTagMutability: 'IMMUTABLE' }),
    ]);
    const registry = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
    expect(r.docker[0]).toBe(`login --username AWS --password-stdin ${registry}|fake-ecr-password`);
    expect(r.docker.filter((l) => l.startsWith('push '))).toEqual([
      `push ${registry}/monkeytown-production/web:c0ffee123456|`,
      `push ${registry}/monkeytown-production/server:c0ffee123456|`,
    ]);
    expect(r.docker.filter((l) => l.startsWith('login'))).toHaveLength(1);
  });

  it('--dry-run creates nothing and runs no docker command', async () => {
    const r = await script('ecr-push.sh', ['--environment', 'production', '--tag', 'c0ffee123456', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls.filter((c) => !/\.(Describe|Get|List)/.test(c))).toEqual([]);
    expect(r.docker).toEqual([]);
    expect(r.stderr).toMatch(/\[dry-run\] would run: .* build /);
  });
});

describe('ecs-deploy.sh end to end', () => {
  it('rolls out all three services, verified and health-checked', async () => {
    const r = await script('ecs-deploy.sh', deployArgs());
    expect(r.code, r.stderr).toBe(0);
    expect(updates()).toEqual(['game-server:2', 'event-stream:2', 'web:2']);
    const images = fake.bodies.filter((b) => b.op === 'ECS.RegisterTaskDefinition').map((b) => (b.body.containerDefinitions as { image: string }[])[0]?.image);
    expect(images).toEqual([
      `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/server:c0ffee123456`,
      `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/server:c0ffee123456`,
      `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/web:c0ffee123456`,
    ]);
    expect(r.stderr).toMatch(/all services on c0ffee123456/);
  }, 60_000);

  it('a circuit-breaker rollback fails the run and stops before the next service', async () => {
    fake.scenario['event-stream'] = 'circuit-breaker';
    const r = await script('ecs-deploy.sh', deployArgs());
    expect(r.code).toBe(1);
    expect(updates()).toEqual(['game-server:2', 'event-stream:2']);
    expect(r.stderr).toMatch(/DEPLOY FAILED for event-stream: circuit breaker rolled back: rollout FAILED: ECS deployment circuit breaker/);
    expect(r.stderr).toMatch(/event-stream rollout failed \(exit 1\)/);
  }, 60_000);

  it('a failing health URL rolls the service back to its previous revision', async () => {
    fake.healthStatus = 503;
    const r = await script('ecs-deploy.sh', deployArgs('--services', 'game-server'));
    expect(r.code).toBe(1);
    expect(updates()).toEqual(['game-server:2', 'game-server:1']);
    expect(r.stderr).toMatch(/health check failed: .*\/api\/agents did not answer 2xx after 2 attempts \(last: HTTP 503\)/);
    expect(r.stderr).toMatch(/Rolled back to monkeytown-production-game-server:1 \(by deploy-cli\)/);
  }, 60_000);

  it('a rollout that never settles times out and is rolled back', async () => {
    fake.scenario.web = 'stuck';
    const r = await script('ecs-deploy.sh', deployArgs('--services', 'web', '--timeout', '3'));
    expect(r.code).toBe(1);
    expect(updates()).toEqual(['web:2', 'web:1']);
    expect(r.stderr).toMatch(/waiter timed out/);
  }, 60_000);

  it('throttling is retried by the SDK, then reported clearly', async () => {
    fake.throttle.add('ECS.UpdateService');
    const r = await script('ecs-deploy.sh', deployArgs('--services', 'web'));
    expect(r.code).toBe(3);
    expect(count('ECS.UpdateService')).toBe(2); // AWS_MAX_ATTEMPTS=2
    expect(r.stderr).toMatch(/AWS throttled ecs:UpdateService web -> monkeytown-production-web:2 \(ThrottlingException\) after 2 attempts/);
  }, 60_000);

  it('--dry-run reads but changes nothing', async () => {
    const r = await script('ecs-deploy.sh', deployArgs('--dry-run'));
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls.length).toBeGreaterThan(0);
    expect(fake.calls.filter((c) => !/\.(Describe|Get|List)/.test(c))).toEqual([]);
    expect(r.stderr).toMatch(/\[dry-run\] would update service web in monkeytown-production: monkeytown-production-web:1 -> monkeytown-production-web:<new revision>/);
  }, 60_000);

  it('--rollback puts each service on its previous revision', async () => {
    expect((await script('ecs-deploy.sh', deployArgs('--services', 'web'))).code).toBe(0);
    const r = await script('ecs-deploy.sh', ['--environment', 'production', '--services', 'web', '--rollback', '--poll', '0.2']);
    expect(r.code, r.stderr).toBe(0);
    expect(updates()).toEqual(['web:2', 'web:1']);
  }, 60_000);
});
