import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient, ListTagsForResourceCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { ACCOUNT, awsError, CLUSTER, configFile, deployment, DIGEST, harness, sampleVars, service, TASK_DEFS, tdArn } from './helpers.js';
import { DEPLOYED_TAG } from '../src/rollout/records.js';

const config = configFile();

const ecr = mockClient(ECRClient);
const ecs = mockClient(ECSClient);
const sts = mockClient(STSClient);
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const REPO = 'monkeytown-production/web';

const dir = mkdtempSync(path.join(tmpdir(), 'mt-ecr-'));
const varsFile = path.join(dir, 'vars.json');
writeFileSync(varsFile, JSON.stringify({ web: sampleVars('web') }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  ecr.reset();
  ecs.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ci` });
});

const notFound = () => new RepositoryNotFoundException({ message: `The repository with name '${REPO}' does not exist`, $metadata: {} });

describe('ECR', () => {
  it('never creates a repository: a missing one is an error naming Terraform', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(notFound());
    const h = harness();
    expect(await main(['push-plan', '--config', config, '--repository', REPO, '--tag', '0123abc', '--format', 'env'], h.deps)).toBe(2);
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    expect(h.err.join('\n')).toMatch(/ECR repository monkeytown-production\/web does not exist in us-east-1\. Terraform owns the repositories: run terraform apply/);
    expect(h.out).toEqual([]);
  });

  it('plans a push of a new tag, in the region Terraform deployed to only', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: REPO, repositoryUri: `${REGISTRY}/${REPO}` }] });
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));
    const h = harness();
    expect(await main(['push-plan', '--config', config, '--repository', REPO, '--tag', '0123abc', '--format', 'env'], h.deps)).toBe(0);
    const out = h.out.join('\n');
    expect(out).toContain(`IMAGE_URI='${REGISTRY}/${REPO}:0123abc'`);
    expect(out).toContain("EXISTS='false'");
    expect(out).toContain(`REGISTRY='${REGISTRY}'`);
    const other = harness();
    expect(await main(['push-plan', '--config', config, '--repository', REPO, '--tag', '0123abc', '--region', 'eu-west-1'], other.deps)).toBe(2);
    expect(other.err.join('\n')).toMatch(/region mismatch/);
    expect(await main(['push-plan', '--config', config, '--repository', 'someone-else/web', '--tag', '0123abc'], other.deps)).toBe(2);
  });

  it('the first push (before the deploy configuration exists) runs from a hand-written minimal file', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: REPO, repositoryUri: `${REGISTRY}/${REPO}` }] });
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));
    const minimal = configFile({ environment: 'production', region: 'us-east-1', account: ACCOUNT, services: { web: { repository: REPO } } });
    const h = harness();
    expect(await main(['push-plan', '--config', minimal, '--repository', REPO, '--tag', 'abc', '--format', 'env'], h.deps), h.err.join('\n')).toBe(0);
    expect(h.out.join('\n')).toContain(`IMAGE_URI='${REGISTRY}/${REPO}:abc'`);
    // ...but a deploy needs the whole configuration.
    expect(await main(['deploy', '--config', minimal, '--service', 'web', '--file', path.join(TASK_DEFS, 'web.json'), '--image-tag', 'abc'], h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(/is not a Monkeytown deploy configuration/);
  });

  it('reports an already pushed tag so the script skips build and push', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: REPO, repositoryUri: `${REGISTRY}/${REPO}` }] });
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageTags: ['0123abc'], imageDigest: DIGEST }] });
    const h = harness();
    expect(await main(['push-plan', '--config', config, '--repository', REPO, '--tag', '0123abc', '--format', 'env'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain("EXISTS='true'");
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });

  it('decodes the docker login password from the authorization token', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: Buffer.from('AWS:s3cr3t:with:colons').toString('base64'), proxyEndpoint: `https://${REGISTRY}`, expiresAt: new Date(0) }],
    });
    const h = harness();
    expect(await main(['ecr-login'], h.deps)).toBe(0);
    expect(h.out).toEqual(['s3cr3t:with:colons']);
    const r = harness();
    expect(await main(['ecr-login', '--output', 'registry'], r.deps)).toBe(0);
    expect(r.out).toEqual([REGISTRY]);
  });

  it('AccessDenied on the ECR token is explained, with exit code 3', async () => {
    ecr.on(GetAuthorizationTokenCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ecr:GetAuthorizationToken', 403));
    const h = harness();
    expect(await main(['ecr-login'], h.deps)).toBe(3);
    expect(h.err.join('\n')).toMatch(/Access denied for ecr:GetAuthorizationToken \(AccessDeniedException\)/);
    expect(h.out).toEqual([]);
  });

  it('throttling on repository lookup is explained', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const h = harness();
    expect(await main(['push-plan', '--config', config, '--repository', REPO, '--tag', 'abc'], h.deps)).toBe(3);
    expect(h.err.join('\n')).toMatch(/AWS throttled ecr:DescribeRepositories for monkeytown-production\/web/);
  });
});

/** Every AWS call made in dry-run mode must be a read. */
const READ_ONLY = /^(Describe|List|Get)/;
function mutatingCalls(): string[] {
  return [...ecr.calls(), ...ecs.calls(), ...sts.calls()]
    .map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''))
    .filter((name) => !READ_ONLY.test(name));
}

describe('--dry-run makes no mutating call', () => {
  beforeEach(() => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: REPO, repositoryUri: `${REGISTRY}/${REPO}` }] });
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageTags: ['abc'], imageDigest: DIGEST }] });
    ecs.on(DescribeServicesCommand).resolves({ services: [service([deployment('ecs-svc/1', 5, 'PRIMARY', 'COMPLETED')])] });
    ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [tdArn(5), tdArn(4)] });
    ecs.on(ListTagsForResourceCommand).resolves({ tags: [{ key: DEPLOYED_TAG, value: '2026-11-01T00:00:00.000Z' }] });
  });

  it.each([
    ['push-plan', ['push-plan', '--config', config, '--repository', REPO, '--tag', 'abc', '--format', 'env'], null],
    ['register', ['register', '--file', path.join(TASK_DEFS, 'web.json'), '--vars-file', varsFile, '--service', 'web'], /would register monkeytown-production-web/],
    ['update', ['update', '--cluster', CLUSTER, '--service', 'web', '--task-definition', 'monkeytown-production-web:4'], /would update web/],
    ['deploy', ['deploy', '--config', config, '--service', 'web', '--file', path.join(TASK_DEFS, 'web.json'), '--image-tag', 'abc', '--health-url', 'https://x.example/'], /would roll back to monkeytown-production-web:5/],
    ['rollback', ['rollback', '--cluster', CLUSTER, '--service', 'web'], /would update web: monkeytown-production-web:5 -> monkeytown-production-web:4/],
  ] as const)('%s', async (_name, args, expectLog) => {
    const h = harness();
    const code = await main([...args, '--dry-run'], h.deps);
    expect(code, h.err.join('\n')).toBe(0);
    expect(mutatingCalls()).toEqual([]);
    // Each command (but offline `register`) looked at AWS: the dry run is a real read-only run.
    if (_name !== 'register') expect(ecr.calls().length + ecs.calls().length + sts.calls().length).toBeGreaterThan(0);
    expect(h.fetched).toEqual([]);
    if (expectLog) expect(h.err.join('\n')).toMatch(expectLog);
  });

  it('push-plan --dry-run still prints where the image would go', async () => {
    const h = harness();
    await main(['push-plan', '--config', config, '--repository', REPO, '--tag', 'abc', '--dry-run'], h.deps);
    expect(JSON.parse(h.out.join(''))).toMatchObject({ imageUri: `${REGISTRY}/${REPO}:abc`, exists: true, dryRun: true });
  });
});
