import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  PutImageCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type Service,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { DEPLOYED_TAG, ROLLED_BACK_TAG } from '../src/rollout/records.js';
import { ACCOUNT, awsError, CLUSTER, configFile, deployment, DIGEST, FAMILY, harness, service, TASK_DEFS, tdArn } from './helpers.js';

const ecs = mockClient(ECSClient);
const ecr = mockClient(ECRClient);
const sts = mockClient(STSClient);
const config = configFile();
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;

const HEALTH = 'https://play.monkeytown.example.com/';
const deployArgs = (...extra: string[]) => [
  'deploy', '--config', config, '--service', 'web',
  '--file', path.join(TASK_DEFS, 'web.json'), '--image-tag', 'abc1234',
  '--health-url', HEALTH, '--timeout', '300', '--poll', '10', '--attempts', '3', '--interval', '2',
  ...extra,
];
const tagged = () => ecs.commandCalls(TagResourceCommand).map((c) => c.args[0].input.resourceArn);

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

beforeEach(() => {
  ecs.reset();
  ecr.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'monkeytown-production/web', repositoryUri: `${REGISTRY}/monkeytown-production/web` }] });
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['abc1234'] }] });
  ecs.on(TagResourceCommand).resolves({});
  ecs.on(ListTagsForResourceCommand).resolves({ tags: [] });
  // The running revision's images (kept for rollbacks before a rollout: aws/ecr-keep.ts).
  ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: tdArn(1), containerDefinitions: RUNNING_CONTAINERS } });
  ecr.on(BatchGetImageCommand).callsFake((input) => ({
    images: [{ imageId: input.imageIds[0], imageManifest: `{"manifest-of":"${input.imageIds[0].imageDigest}"}`, imageManifestMediaType: OCI }],
  }));
  ecr.on(PutImageCommand).resolves({});
});

const OCI = 'application/vnd.oci.image.manifest.v1+json';
const OLD_DIGEST = `sha256:${'cd'.repeat(32)}`;
const RUNNING_CONTAINERS = [
  { name: 'web', image: `${REGISTRY}/monkeytown-production/web@${OLD_DIGEST}` },
  // A sidecar from another registry: not ours to tag.
  { name: 'agent', image: `public.ecr.aws/aws-observability/aws-otel-collector@sha256:${'ef'.repeat(32)}` },
];
const keepTags = () => ecr.commandCalls(PutImageCommand).map((c) => c.args[0].input);

describe('images kept for rollbacks (past ECR\'s newest-50 rule)', () => {
  it('tags the running revision\'s image and the new one deployed-<digest> with their own manifests, before registering', async () => {
    scriptService((_td, n) => (n < 3 ? rolling : done));
    const h = harness();
    expect(await main(deployArgs(), h.deps), h.err.join('\n')).toBe(0);
    expect(keepTags()).toEqual([
      { repositoryName: 'monkeytown-production/web', imageTag: `deployed-sha256-${'cd'.repeat(32)}`, imageDigest: OLD_DIGEST, imageManifest: `{"manifest-of":"${OLD_DIGEST}"}`, imageManifestMediaType: OCI },
      { repositoryName: 'monkeytown-production/web', imageTag: `deployed-sha256-${'ab'.repeat(32)}`, imageDigest: DIGEST, imageManifest: `{"manifest-of":"${DIGEST}"}`, imageManifestMediaType: OCI },
    ]);
    const [register] = ecs.commandCalls(RegisterTaskDefinitionCommand);
    expect(ecr.commandCalls(PutImageCommand).every((keep) => keep.calledBefore(register!))).toBe(true);
  });

  it('an image kept already (an earlier rollout of it) is fine', async () => {
    scriptService((_td, n) => (n < 3 ? rolling : done));
    ecr.on(PutImageCommand).rejects(new ImageAlreadyExistsException({ message: 'tag exists', $metadata: {} }));
    const h = harness();
    expect(await main(deployArgs(), h.deps), h.err.join('\n')).toBe(0);
    expect(updates()).toHaveLength(1);
  });

  it('a release whose rollback target cannot be kept does not roll out', async () => {
    scriptService(() => done);
    ecr.on(PutImageCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform ecr:PutImage'));
    const h = harness();
    expect(await main(deployArgs(), h.deps)).not.toBe(0);
    expect(h.err.join('\n')).toMatch(/ecr:PutImage monkeytown-production\/web:deployed-sha256-cdcd/);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(updates()).toHaveLength(0);
  });
});

describe('deploy', () => {
  it('registers, updates, waits for its deployment to be PRIMARY+COMPLETED and checks health', async () => {
    scriptService((_td, n) => (n < 3 ? rolling : done));
    const h = harness();
    const code = await main(deployArgs(), h.deps);
    expect(code, h.err.join('\n')).toBe(0);
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    expect(registered?.family).toBe(FAMILY);
    // By digest: the tag was resolved in ECR before anything was registered.
    expect(registered?.containerDefinitions?.[0]?.image).toBe(`${REGISTRY}/monkeytown-production/web@${DIGEST}`);
    expect(ecr.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toEqual({ repositoryName: 'monkeytown-production/web', imageIds: [{ imageTag: 'abc1234' }] });
    expect(updates()).toEqual([{ cluster: CLUSTER, service: 'web', taskDefinition: tdArn(2) }]);
    expect(h.fetched).toEqual([HEALTH]);
    expect(JSON.parse(h.out.join(''))).toMatchObject({ status: 'deployed', taskDefinitionArn: tdArn(2), deploymentId: NEW });
    // Recorded: the steady revision it replaced (first seen) and the new one, once healthy.
    expect(tagged()).toEqual([tdArn(1), tdArn(2)]);
    expect(ecs.commandCalls(TagResourceCommand)[1]?.args[0].input.tags).toEqual([{ key: DEPLOYED_TAG, value: expect.stringMatching(/^\d{4}-/) }]);
  });

  it('fails fast on a missing image: nothing is registered or updated', async () => {
    scriptService(() => done);
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));
    const h = harness();
    expect(await main(deployArgs(), h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(/image monkeytown-production\/web:abc1234 is not in ECR \(us-east-1\): push it with deploy\/scripts\/ecr-push.sh first/);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(updates()).toHaveLength(0);
  });

  it('refuses a missing repository (Terraform owns ECR)', async () => {
    scriptService(() => done);
    ecr.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: 'no such repository', $metadata: {} }));
    const h = harness();
    expect(await main(deployArgs(), h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(/ECR repository monkeytown-production\/web does not exist in us-east-1\. Terraform owns the repositories/);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('refuses a region other than the one Terraform deployed to, before any AWS change', async () => {
    scriptService(() => done);
    const h = harness();
    expect(await main(deployArgs('--region', 'eu-west-1'), h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(/region mismatch: Terraform deployed production to us-east-1, but the AWS client is set to eu-west-1/);
    expect(ecs.calls()).toHaveLength(0);
    expect(ecr.calls()).toHaveLength(0);
  });

  it('refuses credentials for another account', async () => {
    scriptService(() => done);
    sts.on(GetCallerIdentityCommand).resolves({ Account: '999988887777' });
    const h = harness();
    expect(await main(deployArgs(), h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(/account mismatch: production lives in account 111122223333/);
    expect(ecs.calls()).toHaveLength(0);
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
    expect(tagged()).not.toContain(tdArn(2)); // a failed rollout is never a rollback target
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
    expect(tagged()).not.toContain(tdArn(2));
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
  it('rolls back to the last revision recorded as deployed, skipping newer ones that never rolled out', async () => {
    ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [tdArn(8), tdArn(7), tdArn(6), tdArn(5), tdArn(4)] });
    // 6 failed its rollout (never recorded), 5 was deployed: 5 is the target, not 6.
    ecs.on(ListTagsForResourceCommand).callsFake((input) => ({ tags: input.resourceArn === tdArn(5) || input.resourceArn === tdArn(4) ? [{ key: DEPLOYED_TAG, value: '2026-11-01T00:00:00.000Z' }] : [] }));
    let calls = 0;
    ecs.on(DescribeServicesCommand).callsFake(() => ({
      services: [calls++ === 0 ? service([deployment('d7', 7, 'PRIMARY', 'COMPLETED')]) : service([deployment('d8', 5, 'PRIMARY', 'COMPLETED')])],
    }));
    ecs.on(UpdateServiceCommand).resolves({ service: service([deployment('d8', 5, 'PRIMARY', 'IN_PROGRESS')]) });
    const h = harness();
    expect(await main(['rollback', '--config', config, '--service', 'web'], h.deps)).toBe(0);
    expect(updates()).toEqual([{ cluster: CLUSTER, service: 'web', taskDefinition: tdArn(5) }]);
    expect(JSON.parse(h.out.join(''))).toMatchObject({ from: tdArn(7), to: tdArn(5), completed: true });
  });

  // Issue 25: a revision rolled back from once is never a rollback target again.
  it('records the revision it rolls away from, and a later rollback skips it', async () => {
    const tags = new Map<string, { key: string; value: string }[]>([
      [tdArn(5), [{ key: DEPLOYED_TAG, value: '2026-11-01T00:00:00.000Z' }]],
      [tdArn(6), [{ key: DEPLOYED_TAG, value: '2026-11-02T00:00:00.000Z' }]],
      [tdArn(7), [{ key: DEPLOYED_TAG, value: '2026-11-03T00:00:00.000Z' }]],
    ]);
    ecs.on(TagResourceCommand).callsFake((input) => {
      tags.set(input.resourceArn, [...(tags.get(input.resourceArn) ?? []), ...input.tags]);
      return {};
    });
    ecs.on(ListTagsForResourceCommand).callsFake((input) => ({ tags: tags.get(input.resourceArn) ?? [] }));
    ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [tdArn(8), tdArn(7), tdArn(6), tdArn(5)] });
    let running = 7;
    ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [service([deployment(`d${running}`, running, 'PRIMARY', 'COMPLETED')])] }));
    ecs.on(UpdateServiceCommand).callsFake((input: UpdateServiceCommandInput) => {
      running = Number(String(input.taskDefinition).split(':').pop());
      return { service: service([deployment(`d${running}`, running, 'PRIMARY', 'IN_PROGRESS')]) };
    });

    // 7 -> 6: 7 is recorded as rolled back from.
    expect(await main(['rollback', '--config', config, '--service', 'web'], harness().deps)).toBe(0);
    expect(tags.get(tdArn(7))?.map((t) => t.key)).toContain(ROLLED_BACK_TAG);
    // Someone redeploys 7's image as 8, which rolls out: a rollback from 8 skips 7 and goes to 6.
    running = 8;
    tags.set(tdArn(8), [{ key: DEPLOYED_TAG, value: '2026-11-04T00:00:00.000Z' }]);
    expect(await main(['rollback', '--config', config, '--service', 'web'], harness().deps)).toBe(0);
    expect(updates().map((u) => u.taskDefinition)).toEqual([tdArn(6), tdArn(6)]);
  });

  it('refuses --to a revision already rolled back from, or one that never rolled out', async () => {
    const tags = new Map<string, { key: string; value: string }[]>([
      [tdArn(6), [{ key: DEPLOYED_TAG, value: '2026-11-02T00:00:00.000Z' }, { key: ROLLED_BACK_TAG, value: '2026-11-03T00:00:00.000Z' }]],
      [tdArn(5), []],
      [tdArn(4), [{ key: DEPLOYED_TAG, value: '2026-11-01T00:00:00.000Z' }]],
    ]);
    ecs.on(ListTagsForResourceCommand).callsFake((input) => ({ tags: tags.get(input.resourceArn) ?? [] }));
    ecs.on(DescribeTaskDefinitionCommand).callsFake((input) => ({ taskDefinition: { taskDefinitionArn: tdArn(Number(String(input.taskDefinition).split(':').pop())) } }));
    ecs.on(DescribeServicesCommand).resolves({ services: [service([deployment('d7', 7, 'PRIMARY', 'COMPLETED')])] });
    ecs.on(UpdateServiceCommand).resolves({ service: service([deployment('d4', 4, 'PRIMARY', 'COMPLETED')]) });
    let h = harness();
    expect(await main(['rollback', '--config', config, '--service', 'web', '--to', 'monkeytown-production-web:6'], h.deps)).toBe(1);
    expect(h.err.join('\n')).toMatch(/monkeytown-production-web:6 was rolled back from already/);
    h = harness();
    expect(await main(['rollback', '--config', config, '--service', 'web', '--to', tdArn(5)], h.deps)).toBe(1);
    expect(h.err.join('\n')).toMatch(/never rolled out successfully/);
    expect(updates()).toEqual([]);
    // A revision that rolled out and was never left: allowed.
    expect(await main(['rollback', '--config', config, '--service', 'web', '--to', 'monkeytown-production-web:4', '--dry-run'], harness().deps)).toBe(0);
  });

  it('refuses to guess when no older revision was ever deployed', async () => {
    ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [tdArn(3), tdArn(2), tdArn(1)] });
    ecs.on(DescribeServicesCommand).resolves({ services: [service([deployment('d3', 3, 'PRIMARY', 'COMPLETED')])] });
    const h = harness();
    expect(await main(['rollback', '--cluster', CLUSTER, '--service', 'web'], h.deps)).toBe(1);
    expect(h.err.join('\n')).toMatch(/no revision of monkeytown-production-web older than 3 was ever deployed successfully/);
    expect(updates()).toEqual([]);
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
