/**
 * A small stand-in for the ECS, ECR, SSM, Step Functions and STS HTTP APIs (awsJson1_0/1_1
 * and awsQuery, as the SDK speaks them), so the shell scripts and the real CLI
 * can be run end to end: request signing, serialization, error parsing and the
 * SDK's own retries are all real; only AWS is not. Point the SDK at it with
 * AWS_ENDPOINT_URL. It also answers the public health URLs.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Scenario = 'ok' | 'circuit-breaker' | 'stuck';
/** How the pre-deploy state machine's execution ends: its task exits 0 or 1, or it never stops. */
export type MigrationScenario = 'ok' | 'fail' | 'stuck';

/** One execution of the pre-deploy state machine, as the fake ran it. */
export interface FakeExecution {
  executionArn: string;
  stateMachineArn: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  error?: string;
  cause?: string;
  output?: string;
  describes: number;
}

interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason?: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  createdAt: number;
}

interface Svc {
  deployments: Deployment[];
  describes: number;
}

export interface FakeAws {
  url: string;
  /** Every API call as "Service.Operation". */
  calls: string[];
  bodies: { op: string; body: Record<string, unknown> }[];
  scenario: Record<string, Scenario>;
  /** Operations answered with ThrottlingException (every attempt). */
  throttle: Set<string>;
  healthStatus: number;
  /** Repositories Terraform created (the scripts never create one). */
  repositories: Set<string>;
  /** "repository:tag" pushed images; their digest is derived from the name. */
  images: Set<string>;
  /** "repository:tag" -> digest of the tags added to an image already there (PutImage: the keep tags). */
  addedTags: Map<string, string>;
  /** Task definition ARN -> tags (deploy records). */
  tags: Map<string, { key: string; value: string }[]>;
  /** The SSM deploy configuration parameter values by name. */
  parameters: Map<string, string>;
  migration: MigrationScenario;
  /** The state machine Terraform made (deploy_config.migrate.state_machine): the only one that exists. */
  stateMachineArn: string;
  executions: FakeExecution[];
  close(): Promise<void>;
}

export const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const tdArn = (family: string, rev: number) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${rev}`;
const revOf = (arn: string) => Number(arn.split(':').pop());

export async function startFakeAws(cluster: string, services: string[]): Promise<FakeAws> {
  let seq = 0;
  const revisions = new Map<string, number>();
  const svcs = new Map<string, Svc>();
  for (const name of services) {
    const family = `${cluster}-${name}`;
    revisions.set(family, 1);
    svcs.set(name, { describes: 0, deployments: [dep(tdArn(family, 1), 'COMPLETED')] });
  }
  function dep(taskDefinition: string, rolloutState: Deployment['rolloutState']): Deployment {
    const done = rolloutState === 'COMPLETED';
    return { id: `ecs-svc/${++seq}`, status: 'PRIMARY', taskDefinition, rolloutState, desiredCount: 2, runningCount: done ? 2 : 0, pendingCount: done ? 0 : 2, failedTasks: 0, createdAt: 1_700_000_000 };
  }

  const fake: FakeAws = {
    url: '',
    calls: [],
    bodies: [],
    scenario: {},
    throttle: new Set(),
    healthStatus: 200,
    repositories: new Set(),
    images: new Set(),
    addedTags: new Map(),
    tags: new Map(),
    parameters: new Map(),
    migration: 'ok',
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${cluster}-pre-deploy`,
    executions: [],
    close: () => new Promise((r) => server.close(() => r())),
  };

  /** Moves a service's rollout along, as ECS would between two DescribeServices calls. */
  function advance(name: string, svc: Svc) {
    svc.describes++;
    const primary = svc.deployments.find((d) => d.status === 'PRIMARY');
    if (!primary || primary.rolloutState !== 'IN_PROGRESS' || svc.describes < 2) return;
    const older = svc.deployments.filter((d) => d !== primary);
    const isRollback = older.some((d) => revOf(d.taskDefinition) > revOf(primary.taskDefinition));
    const scenario = isRollback ? 'ok' : (fake.scenario[name] ?? 'ok');
    if (scenario === 'stuck') return;
    if (scenario === 'circuit-breaker') {
      primary.status = 'ACTIVE';
      primary.rolloutState = 'FAILED';
      primary.failedTasks = 3;
      primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
      const previous = older[0]?.taskDefinition ?? primary.taskDefinition;
      svc.deployments = [dep(previous, 'IN_PROGRESS'), primary];
      svc.describes = 0;
      fake.scenario[name] = 'ok';
      return;
    }
    primary.rolloutState = 'COMPLETED';
    primary.runningCount = 2;
    primary.pendingCount = 0;
    svc.deployments = [primary];
  }

  function describe(name: string) {
    const svc = svcs.get(name);
    if (!svc) return undefined;
    const primary = svc.deployments.find((d) => d.status === 'PRIMARY');
    return {
      serviceName: name,
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${name}`,
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`,
      status: 'ACTIVE',
      taskDefinition: primary?.taskDefinition,
      desiredCount: 2,
      runningCount: primary?.runningCount ?? 0,
      deployments: svc.deployments,
      events: [],
    };
  }

  const taskDefinitions = new Map<string, Record<string, unknown>>();
  const ecs: Record<string, (b: Record<string, unknown>) => unknown> = {
    DescribeServices: (b) => {
      const names = (b.services as string[]) ?? [];
      const found = names.map((n) => {
        const s = svcs.get(n);
        if (s) advance(n, s);
        return describe(n);
      });
      return {
        services: found.filter(Boolean),
        failures: names.filter((_, i) => !found[i]).map((n) => ({ arn: n, reason: 'MISSING' })),
      };
    },
    RegisterTaskDefinition: (b) => {
      const family = String(b.family);
      const rev = (revisions.get(family) ?? 0) + 1;
      revisions.set(family, rev);
      const td = { ...b, taskDefinitionArn: tdArn(family, rev), revision: rev, status: 'ACTIVE' };
      taskDefinitions.set(td.taskDefinitionArn, td);
      return { taskDefinition: td };
    },
    // Terraform's bootstrap revisions (1) name their image by tag: nothing a deploy keeps.
    DescribeTaskDefinition: (b) => ({
      taskDefinition: taskDefinitions.get(String(b.taskDefinition)) ?? { taskDefinitionArn: String(b.taskDefinition), containerDefinitions: [{ name: 'app', image: 'bootstrap:tag' }] },
    }),
    UpdateService: (b) => {
      const name = String(b.service);
      const svc = svcs.get(name);
      if (!svc) throw Object.assign(new Error('Service not found.'), { type: 'ServiceNotFoundException' });
      const td = String(b.taskDefinition);
      svc.deployments = [dep(td, 'IN_PROGRESS'), ...svc.deployments.map((d) => ({ ...d, status: 'ACTIVE' as const }))];
      svc.describes = 0;
      return { service: describe(name) };
    },
    TagResource: (b) => {
      const arn = String(b.resourceArn);
      const tags = (b.tags as { key: string; value: string }[]) ?? [];
      fake.tags.set(arn, [...(fake.tags.get(arn) ?? []).filter((t) => !tags.some((n) => n.key === t.key)), ...tags]);
      return {};
    },
    ListTagsForResource: (b) => ({ tags: fake.tags.get(String(b.resourceArn)) ?? [] }),
    ListTaskDefinitions: (b) => {
      const family = String(b.familyPrefix);
      const n = revisions.get(family) ?? 0;
      return { taskDefinitionArns: Array.from({ length: n }, (_, i) => tdArn(family, n - i)) };
    },
  };

  const ecr: Record<string, (b: Record<string, unknown>) => unknown> = {
    GetAuthorizationToken: () => ({
      authorizationData: [{ authorizationToken: Buffer.from('AWS:fake-ecr-password').toString('base64'), proxyEndpoint: `https://${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`, expiresAt: 1_900_000_000 }],
    }),
    DescribeRepositories: (b) => {
      const name = (b.repositoryNames as string[])[0] as string;
      if (!fake.repositories.has(name)) throw Object.assign(new Error(`The repository with name '${name}' does not exist in the registry with id '${ACCOUNT}'`), { type: 'RepositoryNotFoundException' });
      return { repositories: [{ repositoryName: name, repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}` }] };
    },
    CreateRepository: (b) => {
      const name = String(b.repositoryName);
      fake.repositories.add(name);
      return { repository: { repositoryName: name, repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`, imageTagMutability: b.imageTagMutability } };
    },
    DescribeImages: (b) => {
      const key = `${b.repositoryName}:${(b.imageIds as { imageTag: string }[])[0]?.imageTag}`;
      if (!fake.repositories.has(String(b.repositoryName))) throw Object.assign(new Error('no such repository'), { type: 'RepositoryNotFoundException' });
      if (!fake.images.has(key)) throw Object.assign(new Error('image not found'), { type: 'ImageNotFoundException' });
      return { imageDetails: [{ imageTags: [key.split(':')[1]], imageDigest: digestOf(key) }] };
    },
    BatchGetImage: (b) => {
      const digest = (b.imageIds as { imageDigest: string }[])[0]?.imageDigest;
      const key = [...fake.images].find((k) => k.startsWith(`${b.repositoryName}:`) && digestOf(k) === digest);
      if (!key) return { images: [], failures: [{ imageId: { imageDigest: digest }, failureCode: 'ImageNotFound' }] };
      return { images: [{ registryId: ACCOUNT, repositoryName: b.repositoryName, imageId: { imageDigest: digest }, imageManifest: JSON.stringify({ of: key }), imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }] };
    },
    PutImage: (b) => {
      const key = `${b.repositoryName}:${b.imageTag}`;
      // Tags are immutable: the same tag again is ImageAlreadyExists, as ECR says it.
      if (fake.addedTags.has(key)) throw Object.assign(new Error(`Image with tag '${b.imageTag}' already exists`), { type: 'ImageAlreadyExistsException' });
      fake.addedTags.set(key, String(b.imageDigest));
      return { image: { repositoryName: b.repositoryName, imageId: { imageDigest: b.imageDigest, imageTag: b.imageTag } } };
    },
  };

  const ssm: Record<string, (b: Record<string, unknown>) => unknown> = {
    GetParameter: (b) => {
      const value = fake.parameters.get(String(b.Name));
      if (value === undefined) throw Object.assign(new Error(`parameter ${b.Name} not found`), { type: 'ParameterNotFound' });
      return { Parameter: { Name: b.Name, Type: 'String', Value: value, Version: 1 } };
    },
  };

  /**
   * The pre-deploy state machine (infrastructure/terraform/pre-deploy-sfn.tf) as seen from
   * outside: it refuses an input that is not {digest: sha256:...} at once, otherwise it is
   * RUNNING for two looks and then ends as fake.migration says (the migrate container
   * exiting 0 or 1), or never ends ('stuck') until stopped. Its own ECS calls are its
   * role's, not the caller's, so none of them shows in `calls`.
   */
  const sfn: Record<string, (b: Record<string, unknown>) => unknown> = {
    StartExecution: (b) => {
      if (b.stateMachineArn !== fake.stateMachineArn) throw Object.assign(new Error(`State Machine Does Not Exist: '${b.stateMachineArn}'`), { type: 'StateMachineDoesNotExist' });
      const name = String(b.name ?? `exec-${fake.executions.length + 1}`);
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw Object.assign(new Error(`Invalid Name: '${name}'`), { type: 'InvalidName' });
      const executionArn = `${fake.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
      if (fake.executions.some((e) => e.executionArn === executionArn)) throw Object.assign(new Error(`Execution Already Exists: '${executionArn}'`), { type: 'ExecutionAlreadyExists' });
      const input = String(b.input ?? '{}');
      const ex: FakeExecution = { executionArn, stateMachineArn: fake.stateMachineArn, input, status: 'RUNNING', describes: 0 };
      const digest = (JSON.parse(input) as { digest?: unknown }).digest;
      if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) Object.assign(ex, { status: 'FAILED', error: 'Monkeytown.BadInput', cause: 'the input must be {"digest": "sha256:<64 hex digits>"}' });
      fake.executions.push(ex);
      return { executionArn, startDate: 1_700_000_000 };
    },
    DescribeExecution: (b) => {
      const ex = fake.executions.find((e) => e.executionArn === b.executionArn);
      if (!ex) throw Object.assign(new Error(`Execution Does Not Exist: '${b.executionArn}'`), { type: 'ExecutionDoesNotExist' });
      if (ex.status === 'RUNNING' && ++ex.describes > 2 && fake.migration !== 'stuck') {
        const task = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${cluster}/${(++seq).toString(16).padStart(32, '0')}`;
        const taskDefinitionArn = tdArn(`${cluster}-migrate`, fake.executions.indexOf(ex) + 1);
        if (fake.migration === 'ok') Object.assign(ex, { status: 'SUCCEEDED', output: JSON.stringify({ taskArn: task, taskDefinitionArn, exitCode: 0, stoppedReason: 'Essential container in task exited' }) });
        else Object.assign(ex, { status: 'FAILED', error: 'Monkeytown.MigrationFailed', cause: `migrate exited 1 (task ${task}): Essential container in task exited` });
      }
      return { executionArn: ex.executionArn, stateMachineArn: ex.stateMachineArn, status: ex.status, input: ex.input, startDate: 1_700_000_000, ...(ex.output ? { output: ex.output } : {}), ...(ex.error ? { error: ex.error, cause: ex.cause } : {}) };
    },
    StopExecution: (b) => {
      const ex = fake.executions.find((e) => e.executionArn === b.executionArn);
      if (!ex) throw Object.assign(new Error(`Execution Does Not Exist: '${b.executionArn}'`), { type: 'ExecutionDoesNotExist' });
      if (ex.status === 'RUNNING') Object.assign(ex, { status: 'ABORTED', error: b.error, cause: b.cause });
      return { stopDate: 1_700_000_100 };
    },
  };

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (data += c));
      req.on('end', () => resolve(data));
    });

  const server: Server = createServer(async (req, res) => {
    const raw = await read(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method === 'GET') {
      res.writeHead(fake.healthStatus, { 'content-type': 'text/plain' }).end(`health ${req.url}`);
      return;
    }
    if (!target && raw.includes('Action=GetCallerIdentity')) {
      fake.calls.push('STS.GetCallerIdentity');
      res.writeHead(200, { 'content-type': 'text/xml' }).end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/ci</Arn><UserId>AIDAFAKE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>req-sts</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
      return;
    }
    const [prefix, op = ''] = target.split('.');
    const api = prefix?.startsWith('AmazonEC2ContainerServiceV')
      ? { name: 'ECS', ops: ecs }
      : prefix?.startsWith('AmazonEC2ContainerRegistry')
        ? { name: 'ECR', ops: ecr }
        : prefix === 'AmazonSSM'
          ? { name: 'SSM', ops: ssm }
          : prefix === 'AWSStepFunctions'
            ? { name: 'SFN', ops: sfn }
            : undefined;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const json = (status: number, payload: unknown) =>
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${fake.calls.length}` }).end(JSON.stringify(payload));
    if (!api || !api.ops[op]) return json(400, { __type: 'UnknownOperationException', message: `fake AWS does not implement ${target}` });
    fake.calls.push(`${api.name}.${op}`);
    fake.bodies.push({ op: `${api.name}.${op}`, body });
    if (fake.throttle.has(`${api.name}.${op}`)) return json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    try {
      json(200, api.ops[op](body));
    } catch (err) {
      const e = err as Error & { type?: string };
      json(400, { __type: e.type ?? 'ServerException', message: e.message });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

export const digestOf = (image: string) => `sha256:${createHash('sha256').update(image).digest('hex')}`;
