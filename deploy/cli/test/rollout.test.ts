import {
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { awsError, CLUSTER, deployment, FAMILY, harness, sampleVars, service, TASK_DEFS, tdArn } from './helpers.js';

const ecs = mockClient(ECSClient);
const dir = mkdtempSync(path.join(tmpdir(), 'mt-deploy-'));
const varsFile = path.join(dir, 'vars.json');
const { IMAGE_TAG: _unused, ...vars } = sampleVars('web');
writeFileSync(varsFile, JSON.stringify({ web: vars, 'game-server': sampleVars('game-server') }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEALTH = 'https://play.monkeytown.example.com/';
const deployArgs = (...extra: string[]) => [
  'deploy', '--cluster', CLUSTER, '--service', 'web',
  '--file', path.join(TASK_DEFS, 'web.json'), '--vars-file', varsFile, '--image-tag', 'abc1234',
  '--health-url', HEALTH, '--timeout', '300', '--poll', '10', '--attempts', '3', '--interval', '2',
  ...extra,
];

const OLD = 'ecs-svc/1';
const NEW = 'ecs-svc/2';
const before = service([deployment(OLD, 1, 'PRIMARY', 'COMPLETED')]);
const rolling = service([deployment(NEW, 2, 'PRIMARY', 'IN_PROGRESS'), deployment(OLD, 1, 'ACTIVE', 'COMPLETED')]);
const done = service([deployment(NEW, 2, 'PRIMARY', 'COMPLETED')]);

function updates(): UpdateServiceCommandInput[] {
  return ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input);
}

/**
 * A tiny model of the ECS service: UpdateService creates a new PRIMARY
 * deployment; `afterUpdate` scripts what DescribeServices shows next.
 */
function scriptService(afterUpdate: (taskDefinition: string, describesSince: number) => Service) {
  let state: Service = before;
  let lastUpdate: string | undefined;
  let describes = 0;
  ecs.on(DescribeServicesCommand).callsFake(() => {
    if (lastUpdate) state = afterUpdate(lastUpdate, ++describes);
    return { services: [state] };
  });
  ecs.on(RegisterTaskDefinitionCommand).callsFake((input) => ({
    taskDefinition: { taskDefinitionArn: tdArn(2), family: input.family },
  }));
  ecs.on(UpdateServiceCommand).callsFake((input: UpdateServiceCommandInput) => {
    lastUpdate = input.taskDefinition;
    describes = 0;
    const rev = Number(String(input.taskDefinition).split(':').pop());
    state = service([deployment(rev === 1 ? 'ecs-svc/9' : NEW, rev, 'PRIMARY', 'IN_PROGRESS'), ...(state.deployments ?? []).map((d) => ({ ...d, status: 'ACTIVE' }))]);
    return { service: state };
  });
}

beforeEach(() => ecs.reset());

describe('deploy', () => {
  it('registers, updates, waits for its deployment to be PRIMARY+COMPLETED and checks health', async () => {
    scriptService((_td, n) => (n < 3 ? rolling : done));
    const h = harness();
    const code = await main(deployArgs(), h.deps);
    expect(code, h.err.join('\n')).toBe(0);
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    expect(registered?.family).toBe(FAMILY);
    expect(registered?.containerDefinitions?.[0]?.image).toBe('111122223333.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/web:abc1234');
    expect(updates()).toEqual([{ cluster: CLUSTER, service: 'web', taskDefinition: tdArn(2) }]);
    expect(h.fetched).toEqual([HEALTH]);
    expect(JSON.parse(h.out.join(''))).toMatchObject({ status: 'deployed', taskDefinitionArn: tdArn(2), deploymentId: NEW });
  });

  it('reports a circuit-breaker rollback as a failure without a second update', async () => {
    const failed = service([
      deployment('ecs-svc/3', 1, 'PRIMARY', 'IN_PROGRESS'),
      deployment(NEW, 2, 'ACTIVE', 'FAILED', { rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks: 4 }),
    ]);
    const restored = service([deployment('ecs-svc/3', 1, 'PRIMARY', 'COMPLETED')]);
    scriptService((_td, n) => (n === 1 ? rolling : n < 4 ? failed : restored));
    const h = harness();
    const code = await main(deployArgs(), h.deps);
    expect(code).toBe(1);
    expect(updates()).toHaveLength(1);
    expect(h.fetched).toEqual([]);
    const result = JSON.parse(h.out.join(''));
    expect(result).toMatchObject({ status: 'failed', rolledBackBy: 'circuit-breaker', rolledBackTo: tdArn(1), rollbackCompleted: true });
    expect(h.err.join('\n')).toMatch(/DEPLOY FAILED for web: circuit breaker rolled back: rollout FAILED: ECS deployment circuit breaker/);
  });

  it('rolls back explicitly when the waiter times out', async () => {
    scriptService((td, n) => {
      if (td === tdArn(2)) return rolling; // never settles
      return n < 2
        ? service([deployment('ecs-svc/9', 1, 'PRIMARY', 'IN_PROGRESS'), deployment(NEW, 2, 'ACTIVE', 'IN_PROGRESS')])
        : service([deployment('ecs-svc/9', 1, 'PRIMARY', 'COMPLETED')]);
    });
    const h = harness();
    const code = await main(deployArgs(), h.deps);
    expect(code).toBe(1);
    expect(h.clock.now()).toBeGreaterThanOrEqual(300_000);
    expect(updates().map((u) => u.taskDefinition)).toEqual([tdArn(2), tdArn(1)]);
    expect(h.fetched).toEqual([]);
    expect(JSON.parse(h.out.join(''))).toMatchObject({ status: 'failed', rolledBackBy: 'deploy-cli', rolledBackTo: tdArn(1), rollbackCompleted: true });
    expect(h.err.join('\n')).toMatch(/waiter timed out: not stable after 300 s/);
  });

  it('rolls back when the health URL keeps failing after a completed rollout', async () => {
    scriptService((td, n) => (td === tdArn(2) ? (n < 2 ? rolling : done) : service([deployment('ecs-svc/9', 1, 'PRIMARY', 'COMPLETED')])));
    const h = harness(async () => new Response('bad gateway', { status: 502 }));
    const code = await main(deployArgs(), h.deps);
    expect(code).toBe(1);
    expect(h.fetched).toEqual([HEALTH, HEALTH, HEALTH]);
    expect(updates().map((u) => u.taskDefinition)).toEqual([tdArn(2), tdArn(1)]);
    const result = JSON.parse(h.out.join(''));
    expect(result).toMatchObject({ status: 'failed', rolledBackBy: 'deploy-cli', rollbackCompleted: true });
    expect(result.reason).toMatch(/health check failed: .* did not answer 2xx after 3 attempts \(last: HTTP 502\)/);
  });

  it('says so when the rollback itself does not complete', async () => {
    scriptService(() => rolling);
    const h = harness();
    expect(await main(deployArgs('--timeout', '30'), h.deps)).toBe(1);
    expect(JSON.parse(h.out.join(''))).toMatchObject({ rollbackCompleted: false });
    expect(h.err.join('\n')).toMatch(/did NOT complete/);
  });

  it('refuses to start while another rollout is in progress', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [rolling] });
    const h = harness();
    expect(await main(deployArgs(), h.deps)).toBe(1);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(h.err.join('\n')).toMatch(/already has a rollout in progress/);
  });

  it('explains a missing service', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING', arn: 'x' }] });
    const h = harness();
    expect(await main(deployArgs(), h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(/service web not found in cluster monkeytown-production \(MISSING\)/);
  });
});

describe('AWS errors become clear messages', () => {
  it('throttling on UpdateService', async () => {
    scriptService(() => done);
    ecs.on(UpdateServiceCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const h = harness();
    expect(await main(deployArgs(), h.deps)).toBe(3);
    const msg = h.err.join('\n');
    expect(msg).toMatch(/AWS throttled ecs:UpdateService web -> monkeytown-production-web:2 \(ThrottlingException\) after 5 attempts/);
    expect(msg).toMatch(/wait a minute and rerun/);
    expect(msg).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('AccessDenied on RegisterTaskDefinition stops before touching the service', async () => {
    scriptService(() => done);
    ecs.on(RegisterTaskDefinitionCommand).rejects(
      awsError('AccessDeniedException', 'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: ecs:RegisterTaskDefinition', 403),
    );
    const h = harness();
    expect(await main(deployArgs(), h.deps)).toBe(3);
    expect(h.err.join('\n')).toMatch(/Access denied for ecs:RegisterTaskDefinition monkeytown-production-web \(AccessDeniedException\): User: .* is not authorized/);
    expect(h.err.join('\n')).toMatch(/docs\/operations.md/);
    expect(updates()).toHaveLength(0);
  });
});

describe('rollback, verify and status', () => {
  it('rolls back to the previous ACTIVE revision of the running family', async () => {
    ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [tdArn(7), tdArn(6), tdArn(4)] });
    let calls = 0;
    ecs.on(DescribeServicesCommand).callsFake(() => ({
      services: [calls++ === 0 ? service([deployment('d7', 6, 'PRIMARY', 'COMPLETED')]) : service([deployment('d8', 4, 'PRIMARY', 'COMPLETED')])],
    }));
    ecs.on(UpdateServiceCommand).resolves({ service: service([deployment('d8', 4, 'PRIMARY', 'IN_PROGRESS')]) });
    const h = harness();
    expect(await main(['rollback', '--cluster', CLUSTER, '--service', 'web'], h.deps)).toBe(0);
    expect(updates()).toEqual([{ cluster: CLUSTER, service: 'web', taskDefinition: tdArn(4) }]);
    expect(JSON.parse(h.out.join(''))).toMatchObject({ from: tdArn(6), to: tdArn(4), completed: true });
  });

  it('verify fails when the service is stable on the old revision (ERRATA 21)', async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [service([deployment('ecs-svc/3', 1, 'PRIMARY', 'COMPLETED')])],
    });
    const h = harness();
    expect(await main(['verify', '--cluster', CLUSTER, '--service', 'web', '--deployment-id', NEW], h.deps)).toBe(1);
    expect(h.out.join('')).toMatch(/not verified: deployment ecs-svc\/2 is gone \(replaced by monkeytown-production-web:1\)/);
  });

  it('status lists deployments and recent events', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [rolling] });
    const h = harness();
    expect(await main(['status', '--cluster', CLUSTER, '--service', 'web'], h.deps)).toBe(0);
    const text = h.out.join('\n');
    expect(text).toMatch(/ecs-svc\/2 PRIMARY monkeytown-production-web:2 rollout=IN_PROGRESS running=1\/2/);
    expect(text).toMatch(/has reached a steady state/);
  });
});
