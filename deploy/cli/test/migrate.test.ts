/**
 * Issue 25: the pre-deploy task. The deploy CLI's `migrate` registers the release's
 * migrate task (server image by digest), runs it once, waits for it to stop, and
 * succeeds only when its container exited 0. Anything else (a non-zero exit, a task
 * that never ran, one that overran and was stopped, one ECS would not start) is exit 1
 * with a message saying no service was updated; it never touches a service itself.
 * The SDK is mocked (aws-sdk-client-mock) like the rollout tests; the order against the
 * services' updates is exercised end to end in scripts-e2e.test.ts.
 */
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, ImageNotFoundException } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { ACCOUNT, CLUSTER, configFile, DIGEST, harness, sampleConfig, TASK_DEFS } from './helpers.js';

const ecs = mockClient(ECSClient);
const ecr = mockClient(ECRClient);
const sts = mockClient(STSClient);
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const config = configFile();
const MIGRATE_TD = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/monkeytown-production-migrate:7`;
const TASK = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/${CLUSTER}/0123456789abcdef`;
const args = (...extra: string[]) => [
  'migrate', '--config', config, '--file', path.join(TASK_DEFS, 'migrate.json'), '--image-tag', 'abc1234', '--timeout', '120', '--poll', '5', ...extra,
];

const task = (lastStatus: string, extra: Partial<Task> = {}): Task => ({ taskArn: TASK, taskDefinitionArn: MIGRATE_TD, lastStatus, containers: [{ name: 'migrate', lastStatus }], ...extra });
const stopped = (exitCode: number | undefined, extra: Partial<Task> = {}): Task =>
  task('STOPPED', { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'migrate', lastStatus: 'STOPPED', ...(exitCode === undefined ? {} : { exitCode }) }], ...extra });

/** DescribeTasks answers these in turn (the last one from then on). */
function describes(...seq: Task[]) {
  let i = 0;
  ecs.on(DescribeTasksCommand).callsFake(() => ({ tasks: [seq[Math.min(i++, seq.length - 1)]], failures: [] }));
}
const order = () => ecs.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));

beforeEach(() => {
  ecs.reset();
  ecr.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'monkeytown-production/server', repositoryUri: `${REGISTRY}/monkeytown-production/server` }] });
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['abc1234'] }] });
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: MIGRATE_TD } });
  ecs.on(RunTaskCommand).resolves({ tasks: [task('PROVISIONING')], failures: [] });
  ecs.on(StopTaskCommand).resolves({ task: task('STOPPED') });
});

describe('migrate: the pre-deploy task', () => {
  it('registers the release\'s migrate task by digest, runs it once and succeeds when it exited 0', async () => {
    describes(task('PROVISIONING'), task('RUNNING'), stopped(0));
    const h = harness();
    expect(await main(args(), h.deps), h.err.join('\n')).toBe(0);
    expect(order()).toEqual(['RegisterTaskDefinition', 'RunTask', 'DescribeTasks', 'DescribeTasks', 'DescribeTasks']);
    const td = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    expect(td?.family).toBe('monkeytown-production-migrate');
    expect(td?.executionRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/monkeytown-production-migrate-execution`);
    expect(td?.containerDefinitions?.[0]).toMatchObject({ name: 'migrate', image: `${REGISTRY}/monkeytown-production/server@${DIGEST}`, command: ['node', 'dist/migrate.js'] });
    expect(ecr.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toEqual({ repositoryName: 'monkeytown-production/server', imageIds: [{ imageTag: 'abc1234' }] });
    expect(ecs.commandCalls(RunTaskCommand)[0]?.args[0].input).toEqual({
      cluster: CLUSTER,
      taskDefinition: MIGRATE_TD,
      launchType: 'FARGATE',
      count: 1,
      startedBy: 'monkeytown-deploy',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-private-a', 'subnet-private-b'], securityGroups: ['sg-migrate'], assignPublicIp: 'DISABLED' } },
    });
    expect(JSON.parse(h.out.join(''))).toEqual({ status: 'migrated', taskDefinitionArn: MIGRATE_TD, taskArn: TASK, exitCode: 0 });
    // Polled at --poll, not in a tight loop; never a service call of its own.
    expect(h.clock.slept).toEqual([5000, 5000]);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(0);
  });

  it('a migration that exits non-zero fails the step, naming the exit code and where its log is', async () => {
    describes(task('RUNNING'), stopped(1));
    const h = harness();
    expect(await main(args(), h.deps)).toBe(1);
    expect(h.err.join('\n')).toMatch(
      /error: pre-deploy migration failed: migrate exited 1 \(task 0123456789abcdef; its log: stream migrate\/migrate\/0123456789abcdef\)\. No service was updated: every service still runs its previous version\./,
    );
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('a task that never ran its container (no master secret, no image) fails with ECS\'s reason', async () => {
    describes(stopped(undefined, { stopCode: 'TaskFailedToStart', stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth' }));
    const h = harness();
    expect(await main(args(), h.deps)).toBe(1);
    expect(h.err.join('\n')).toMatch(/migrate never ran to completion: ResourceInitializationError: unable to pull secrets or registry auth \(TaskFailedToStart, task 0123456789abcdef/);
    expect(h.err.join('\n')).toMatch(/No service was updated/);
  });

  it('a migration still running at --timeout is stopped (one transaction: nothing applied) and fails the step', async () => {
    describes(task('RUNNING'));
    const h = harness();
    expect(await main(args('--timeout', '60', '--poll', '10'), h.deps)).toBe(1);
    expect(h.clock.now()).toBe(60_000);
    const stop = ecs.commandCalls(StopTaskCommand);
    expect(stop).toHaveLength(1);
    expect(stop[0]?.args[0].input).toEqual({ cluster: CLUSTER, task: TASK, reason: 'monkeytown-deploy: migration did not finish within 60 s' });
    // Stopped only after the last look at it.
    expect(order().slice(-2)).toEqual(['DescribeTasks', 'StopTask']);
    expect(h.err.join('\n')).toMatch(/pre-deploy migration failed: task 0123456789abcdef did not finish within 60 s \(last status RUNNING\); it was stopped\. No service was updated/);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('ECS refusing to start the task is a failure with its reason, and nothing is waited for', async () => {
    ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ arn: MIGRATE_TD, reason: 'RESOURCE:ENI', detail: 'no free addresses in subnet-private-a' }] });
    const h = harness();
    expect(await main(args(), h.deps)).toBe(1);
    expect(h.err.join('\n')).toMatch(/pre-deploy migration failed: ECS did not start the task \(RESOURCE:ENI: no free addresses in subnet-private-a\)/);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  });

  it('a missing image stops it before anything is registered or run', async () => {
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));
    const h = harness();
    expect(await main(args(), h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(/image monkeytown-production\/server:abc1234 is not in ECR/);
    expect(ecs.calls()).toHaveLength(0);
  });

  it('--dry-run registers and runs nothing', async () => {
    const h = harness();
    expect(await main(args('--dry-run'), h.deps), h.err.join('\n')).toBe(0);
    expect(ecs.calls()).toHaveLength(0);
    expect(h.err.join('\n')).toMatch(/\[dry-run\] would run it once in monkeytown-production \(Fargate, subnets subnet-private-a,subnet-private-b, security groups sg-migrate, no public IP\)/);
  });

  it('a deploy configuration from before issue 25 (no pre-deploy task) is refused: apply first', async () => {
    const { migrate: _none, ...old } = sampleConfig();
    const h = harness();
    expect(await main(['migrate', '--config', configFile(old), '--file', path.join(TASK_DEFS, 'migrate.json'), '--image-tag', 'abc1234'], h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(/names no pre-deploy task \(published before issue 25\): terraform apply first/);
    expect(ecs.calls()).toHaveLength(0);
  });

  it('a region other than the configuration\'s is refused before any call that changes anything', async () => {
    const h = harness();
    expect(await main(args('--region', 'eu-west-1'), h.deps)).toBe(2);
    expect(ecs.calls()).toHaveLength(0);
    expect(ecr.calls()).toHaveLength(0);
  });
});
