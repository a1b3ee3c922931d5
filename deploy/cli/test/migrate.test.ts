/**
 * Issue 25: the pre-deploy step. The deploy CLI's `migrate` resolves the release's server
 * image tag to its digest, starts the pre-deploy state machine Terraform owns with that
 * digest (its only input: the state machine fixes the task definition, roles and network),
 * waits for the execution, and succeeds only when it SUCCEEDED. Anything else (a failed
 * migration, a task that never ran, an execution that overran and was stopped) is exit 1
 * with a message saying no service was updated; it never registers or runs a task, nor
 * touches a service, itself. The SDK is mocked (aws-sdk-client-mock) like the rollout
 * tests; the order against the services' updates is exercised end to end in
 * scripts-e2e.test.ts.
 */
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, ImageNotFoundException } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { ACCOUNT, CLUSTER, configFile, DIGEST, harness, sampleConfig, STATE_MACHINE } from './helpers.js';

const ecs = mockClient(ECSClient);
const ecr = mockClient(ECRClient);
const sts = mockClient(STSClient);
const sfn = mockClient(SFNClient);
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const config = configFile();
const EXECUTION = `arn:aws:states:us-east-1:${ACCOUNT}:execution:monkeytown-production-pre-deploy:abc1234-0f0f0f0f`;
const TASK = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/${CLUSTER}/0123456789abcdef`;
const MIGRATE_TD = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/monkeytown-production-migrate:7`;
const args = (...extra: string[]) => ['migrate', '--config', config, '--image-tag', 'abc1234', '--timeout', '120', '--poll', '5', ...extra];

const running = (): Partial<DescribeExecutionCommandOutput> => ({ executionArn: EXECUTION, status: 'RUNNING' });
const succeeded = (): Partial<DescribeExecutionCommandOutput> => ({
  executionArn: EXECUTION,
  status: 'SUCCEEDED',
  output: JSON.stringify({ taskArn: TASK, taskDefinitionArn: MIGRATE_TD, exitCode: 0 }),
});
const ended = (status: 'FAILED' | 'TIMED_OUT' | 'ABORTED', error: string, cause: string): Partial<DescribeExecutionCommandOutput> => ({ executionArn: EXECUTION, status, error, cause });

/** DescribeExecution answers these in turn (the last one from then on). */
function describes(...seq: Partial<DescribeExecutionCommandOutput>[]) {
  let i = 0;
  sfn.on(DescribeExecutionCommand).callsFake(() => seq[Math.min(i++, seq.length - 1)]);
}
const order = () => sfn.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));

beforeEach(() => {
  ecs.reset();
  ecr.reset();
  sts.reset();
  sfn.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'monkeytown-production/server', repositoryUri: `${REGISTRY}/monkeytown-production/server` }] });
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['abc1234'] }] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date(0) });
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(0) });
});

describe('migrate: the pre-deploy state machine', () => {
  it('starts the state machine with the release\'s server image digest, and nothing else, and succeeds when the execution did', async () => {
    describes(running(), running(), succeeded());
    const h = harness();
    expect(await main(args(), h.deps), h.err.join('\n')).toBe(0);
    expect(order()).toEqual(['StartExecution', 'DescribeExecution', 'DescribeExecution', 'DescribeExecution']);
    expect(ecr.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toEqual({ repositoryName: 'monkeytown-production/server', imageIds: [{ imageTag: 'abc1234' }] });
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.stateMachineArn).toBe(STATE_MACHINE);
    // The digest is the whole input: no image repository, role, command or environment.
    expect(JSON.parse(start?.input ?? '')).toEqual({ digest: DIGEST });
    expect(start?.name).toMatch(/^abc1234-[0-9a-f]{8}$/);
    expect(JSON.parse(h.out.join(''))).toEqual({ status: 'migrated', executionArn: EXECUTION, taskArn: TASK, taskDefinitionArn: MIGRATE_TD, exitCode: 0 });
    expect(h.err.join('\n')).toMatch(/migrate exited 0 \(role ready, migrations applied; task 0123456789abcdef\)/);
    // Polled at --poll, not in a tight loop; the deploy role registers, runs and updates nothing itself.
    expect(h.clock.slept).toEqual([5000, 5000]);
    expect(ecs.calls()).toHaveLength(0);
  });

  it('a failed execution (the migration exited non-zero) fails the step with the state machine\'s error and cause', async () => {
    describes(running(), ended('FAILED', 'Monkeytown.MigrationFailed', `migrate exited 1 (task ${TASK}): Essential container in task exited`));
    const h = harness();
    expect(await main(args(), h.deps)).toBe(1);
    expect(h.err.join('\n')).toMatch(
      /error: pre-deploy migration failed: execution abc1234-0f0f0f0f ended FAILED: Monkeytown\.MigrationFailed: migrate exited 1 \(task .*0123456789abcdef\): Essential container in task exited .*\. No service was updated: every service still runs its previous version\./,
    );
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
    expect(ecs.calls()).toHaveLength(0);
  });

  it('an execution that timed out or was aborted elsewhere fails the step too', async () => {
    for (const status of ['TIMED_OUT', 'ABORTED'] as const) {
      sfn.resetHistory();
      describes(ended(status, 'States.Timeout', 'the state machine ran past its 3600 s'));
      const h = harness();
      expect(await main(args(), h.deps)).toBe(1);
      expect(h.err.join('\n')).toMatch(new RegExp(`ended ${status}: States\\.Timeout: .*No service was updated`));
    }
  });

  it('an execution still running at --timeout is stopped (its task with it: one transaction, nothing applied) and fails the step', async () => {
    describes(running());
    const h = harness();
    expect(await main(args('--timeout', '60', '--poll', '10'), h.deps)).toBe(1);
    expect(h.clock.now()).toBe(60_000);
    const stop = sfn.commandCalls(StopExecutionCommand);
    expect(stop).toHaveLength(1);
    expect(stop[0]?.args[0].input).toEqual({ executionArn: EXECUTION, error: 'Monkeytown.Timeout', cause: 'monkeytown-deploy: migration did not finish within 60 s' });
    // Stopped only after the last look at it.
    expect(order().slice(-2)).toEqual(['DescribeExecution', 'StopExecution']);
    expect(h.err.join('\n')).toMatch(/pre-deploy migration failed: execution abc1234-0f0f0f0f did not finish within 60 s \(last status RUNNING\); it was stopped\. No service was updated/);
  });

  it('a missing image stops it before anything is started', async () => {
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));
    const h = harness();
    expect(await main(args(), h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(/image monkeytown-production\/server:abc1234 is not in ECR/);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('--dry-run starts nothing', async () => {
    const h = harness();
    expect(await main(args('--dry-run'), h.deps), h.err.join('\n')).toBe(0);
    expect(sfn.calls()).toHaveLength(0);
    expect(h.err.join('\n')).toMatch(new RegExp(`\\[dry-run\\] would start monkeytown-production-pre-deploy with \\{"digest":"${DIGEST}"\\}`));
  });

  it('a deploy configuration without the state machine (published before it) is refused: apply first', async () => {
    const { migrate: _none, ...none } = sampleConfig();
    const before = { ...none, migrate: { family: 'monkeytown-production-migrate', task_definition: 'migrate.json', repository: 'monkeytown-production/server', subnets: ['subnet-a'], security_groups: ['sg-a'], vars: {} } };
    for (const old of [none, before]) {
      const h = harness();
      expect(await main(['migrate', '--config', configFile(old), '--image-tag', 'abc1234'], h.deps)).toBe(2);
      expect(h.err.join('\n')).toMatch(/names no pre-deploy state machine \(published before it existed\): terraform apply first/);
    }
    expect(sfn.calls()).toHaveLength(0);
  });

  it('a region other than the configuration\'s is refused before any call that changes anything', async () => {
    const h = harness();
    expect(await main(args('--region', 'eu-west-1'), h.deps)).toBe(2);
    expect(sfn.calls()).toHaveLength(0);
    expect(ecr.calls()).toHaveLength(0);
  });
});
