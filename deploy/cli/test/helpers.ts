import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient, type Deployment, type Service } from '@aws-sdk/client-ecs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MainDeps } from '../src/main.js';
import type { Clock } from '../src/rollout/wait.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TASK_DEFS = path.join(ROOT, 'task-definitions');
export const TERRAFORM_DIR = path.join(ROOT, 'infrastructure/terraform');

export const ACCOUNT = '111122223333';
export const CLUSTER = 'monkeytown-production';
export const FAMILY = 'monkeytown-production-web';
export const tdArn = (rev: number) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${FAMILY}:${rev}`;

/** Values for every placeholder, shaped like `terraform output -json task_definition_vars`. */
export function sampleVars(service: string): Record<string, string> {
  return {
    NAME_PREFIX: 'monkeytown-production',
    AWS_REGION: 'us-east-1',
    ECR_REGISTRY: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`,
    EXECUTION_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/monkeytown-production-${service}-execution`,
    TASK_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/monkeytown-production-${service}-task`,
    LOG_GROUP: `/ecs/monkeytown-production/${service}`,
    LOG_LEVEL: 'info',
    PUBLIC_URL: 'https://play.monkeytown.example.com',
    DB_HOST: 'monkeytown-production.abc.us-east-1.rds.amazonaws.com',
    DB_PORT: '5432',
    DB_NAME: 'monkeytown',
    DB_APP_USER: 'monkeytown_app',
    DB_SECRET_ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-123-AbCdEf`,
    REDIS_SECRET_ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:monkeytown-production/redis-AbCdEf`,
    SESSION_SECRET_ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:monkeytown-production/session-secret-AbCdEf`,
    GAME_SERVER_URL: 'http://game-server:3001',
    TRUSTED_PROXIES: '127.0.0.0/8,::1,10.0.0.0/16',
    MODERATORS: '',
    DB_CONNECT_TIMEOUT_MS: '3000',
    DB_STATEMENT_TIMEOUT_MS: '5000',
    DB_QUERY_TIMEOUT_MS: '6000',
    DB_IDLE_TIMEOUT_MS: '30000',
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '10000',
    DB_KEEPALIVE_MS: '10000',
    DB_MAX_LIFETIME_SECONDS: '900',
    MIGRATION_LOCK_TIMEOUT_MS: '5000',
    IMAGE: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/monkeytown-production/${service === 'web' ? 'web' : 'server'}@${DIGEST}`,
  };
}

export const DIGEST = `sha256:${'ab'.repeat(32)}`;
export const STATE_MACHINE = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:monkeytown-production-pre-deploy`;
const SERVICE_ONLY = ['EXECUTION_ROLE_ARN', 'TASK_ROLE_ARN', 'LOG_GROUP'];
const TASK_FILES: Record<string, string> = { web: 'web.json', 'game-server': 'server.json', 'event-stream': 'event-stream.json' };

/** A deploy configuration shaped like Terraform's `deploy_config` output (outputs.tf). */
export function sampleConfig(overrides: { region?: string; publicUrl?: string } = {}) {
  const { IMAGE: _image, ...common } = sampleVars('game-server');
  for (const k of SERVICE_ONLY) delete (common as Record<string, string>)[k];
  return {
    environment: 'production',
    region: overrides.region ?? 'us-east-1',
    account: ACCOUNT,
    cluster: CLUSTER,
    public_url: overrides.publicUrl ?? 'https://play.monkeytown.example.com',
    common_vars: { ...common, ...(overrides.publicUrl ? { PUBLIC_URL: overrides.publicUrl } : {}) },
    services: Object.fromEntries(
      Object.entries(TASK_FILES).map(([s, file]) => {
        const v = sampleVars(s) as Record<string, string>;
        return [s, { service: s, family: `monkeytown-production-${s}`, task_definition: file, repository: `monkeytown-production/${s === 'web' ? 'web' : 'server'}`, vars: Object.fromEntries(SERVICE_ONLY.map((k) => [k, v[k] as string])) }];
      }),
    ),
    // The pre-deploy step (infrastructure/terraform/migrate.tf, pre-deploy-sfn.tf), shaped like deploy_config.migrate.
    migrate: {
      family: 'monkeytown-production-migrate',
      repository: 'monkeytown-production/server',
      state_machine: STATE_MACHINE,
    },
  };
}

/** Writes a deploy configuration to a temporary file; returns its path. */
export function configFile(config: object = sampleConfig()): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'mt-config-')), 'deploy-config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Virtual time: sleep() advances the clock instantly, so waiter timeouts take no real time. */
export function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

export function deployment(id: string, rev: number, status: string, rolloutState: Deployment['rolloutState'], extra: Partial<Deployment> = {}): Deployment {
  return { id, status, taskDefinition: tdArn(rev), rolloutState, desiredCount: 2, runningCount: rolloutState === 'COMPLETED' ? 2 : 1, pendingCount: 0, failedTasks: 0, ...extra };
}

export function service(deployments: Deployment[], taskRev?: number): Service {
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  return {
    serviceName: 'web',
    serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/${CLUSTER}/web`,
    status: 'ACTIVE',
    taskDefinition: taskRev ? tdArn(taskRev) : primary?.taskDefinition,
    desiredCount: 2,
    runningCount: 2,
    deployments,
    events: [{ id: 'e1', createdAt: new Date(0), message: '(service web) has reached a steady state.' }],
  };
}

export interface Harness {
  deps: MainDeps;
  out: string[];
  err: string[];
  clock: ReturnType<typeof fakeClock>;
  fetched: string[];
}

/** main() dependencies with real SDK clients (their send() is replaced by aws-sdk-client-mock). */
export function harness(fetchImpl?: (url: string) => Promise<Response>): Harness {
  const out: string[] = [];
  const err: string[] = [];
  const fetched: string[] = [];
  const clock = fakeClock();
  const config = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } };
  return {
    out,
    err,
    clock,
    fetched,
    deps: {
      clients: (region) => {
        const c = { ...config, region: region ?? config.region };
        return { ecr: new ECRClient(c), ecs: new ECSClient(c), sts: new STSClient(c), ssm: new SSMClient(c), sfn: new SFNClient(c) };
      },
      clock,
      fetch: (async (input: string | URL | Request) => {
        const url = String(input);
        fetched.push(url);
        return fetchImpl ? fetchImpl(url) : new Response('ok', { status: 200 });
      }) as typeof fetch,
      out: (s) => out.push(s),
      err: (s) => err.push(s),
    },
  };
}

export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status, attempts: 5, requestId: 'req-1' } });
}
