import { parseArgs } from 'node:util';
import { callerAccount, clientRegion, createClients, type Clients } from './aws/clients.js';
import { ecrLogin, pushPlan, resolveImage } from './aws/ecr.js';
import { DeployError } from './aws/errors.js';
import { rollbackCommand, rollout } from './rollout/deploy.js';
import { keepImagesForRollback } from './rollout/keep-images.js';
import { describeDeployment, describeService, registerTaskDefinition, shortArn, updateService } from './rollout/ecs.js';
import { checkHealth } from './rollout/health.js';
import { realClock, verifyDeployment, waitForDeployment, type Clock } from './rollout/wait.js';
import { assertTarget, fetchDeployConfig, PushConfigSchema, readDeployConfig, serviceConfig, varsFor, type DeployConfig } from './config/deploy-config.js';
import { loadVars, renderTaskDefinitionFile } from './taskdef/render.js';
import { migrateCommand } from './migrate-command.js';
import { USAGE } from './usage.js';

export interface MainDeps {
  clients: (region: string | undefined) => Clients;
  clock: Clock;
  fetch: typeof fetch;
  out: (s: string) => void;
  err: (s: string) => void;
}

export const defaultDeps: MainDeps = {
  clients: createClients,
  clock: realClock,
  fetch: globalThis.fetch,
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
};

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  region: { type: 'string' },
  config: { type: 'string' },
  environment: { type: 'string' },
  repository: { type: 'string' },
  tag: { type: 'string' },
  'image-tag': { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  file: { type: 'string' },
  'vars-file': { type: 'string' },
  var: { type: 'string', multiple: true },
  cluster: { type: 'string' },
  service: { type: 'string' },
  'task-definition': { type: 'string' },
  to: { type: 'string' },
  'deployment-id': { type: 'string' },
  'health-url': { type: 'string' },
  url: { type: 'string' },
  timeout: { type: 'string' },
  poll: { type: 'string' },
  attempts: { type: 'string' },
  interval: { type: 'string' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

function need(v: Values, name: keyof Values): string {
  const value = v[name];
  if (typeof value !== 'string' || value === '') throw new DeployError(`--${name} is required`, 2);
  return value;
}

function seconds(v: Values, name: 'timeout' | 'poll' | 'interval', def: number): number {
  const raw = v[name];
  if (raw === undefined) return def * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new DeployError(`--${name} must be a number of seconds`, 2);
  return n * 1000;
}

async function renderFromArgs(v: Values, service: string | undefined, config?: DeployConfig) {
  const vars = config && service ? varsFor(config, service) : v['vars-file'] ? await loadVars(v['vars-file'], service) : {};
  for (const kv of v.var ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new DeployError(`--var expects NAME=value, got "${kv}"`, 2);
    vars[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return renderTaskDefinitionFile(need(v, 'file'), vars);
}

/**
 * The deploy configuration (--config FILE) checked against where the credentials and
 * region actually point: a mismatch is refused before any call that changes anything.
 */
async function checkedConfig(v: Values, c: Clients): Promise<DeployConfig> {
  const config = await readDeployConfig(need(v, 'config'));
  assertTarget(config, { region: await clientRegion(c.ecs), account: await callerAccount(c.sts) });
  return config;
}

/** --config (region-checked) names the cluster and service; --cluster is the manual way. */
async function serviceRef(v: Values, c: Clients): Promise<{ cluster: string; service: string }> {
  const service = need(v, 'service');
  if (!v.config) return { cluster: need(v, 'cluster'), service };
  const config = await checkedConfig(v, c);
  return { cluster: config.cluster, service: serviceConfig(config, service).service };
}

/** Shell-safe KEY=value lines (values are single-quoted). */
function envLines(obj: Record<string, string | boolean>): string {
  return Object.entries(obj)
    .map(([k, val]) => `${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}='${String(val).replace(/'/g, `'\\''`)}'`)
    .join('\n');
}

export async function main(argv: string[], deps: MainDeps = defaultDeps): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (err) {
    deps.err(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const command = positionals[0];
  if (v.help || !command || command === 'help') {
    deps.out(USAGE);
    return command || v.help ? 0 : 2;
  }
  const dryRun = v['dry-run'] ?? false;
  const log = deps.err;

  try {
    const clients = () => deps.clients(v.region);
    switch (command) {
      case 'account': {
        const c = clients();
        const account = await callerAccount(c.sts);
        const region = await clientRegion(c.ecr);
        deps.out(v.json ? JSON.stringify({ account, region, registry: `${account}.dkr.ecr.${region}.amazonaws.com` }) : envLines({ account, region, registry: `${account}.dkr.ecr.${region}.amazonaws.com` }));
        return 0;
      }
      case 'ecr-login': {
        const login = await ecrLogin(clients().ecr);
        const what = v.output ?? 'password';
        if (what === 'password') deps.out(login.password);
        else if (what === 'registry') deps.out(login.registry);
        else if (what === 'json') deps.out(JSON.stringify(login));
        else throw new DeployError('--output must be password, registry or json', 2);
        return 0;
      }
      case 'config': {
        // The published deploy configuration (SSM, written by Terraform), for --config.
        const c = clients();
        const config = await fetchDeployConfig(c.ssm, need(v, 'environment'), await clientRegion(c.ssm));
        assertTarget(config, { region: await clientRegion(c.ssm), account: await callerAccount(c.sts) });
        deps.out(JSON.stringify(config, null, 2));
        return 0;
      }
      case 'push-plan': {
        const c = clients();
        const config = await readDeployConfig(need(v, 'config'), PushConfigSchema);
        assertTarget(config, { region: await clientRegion(c.ecr), account: await callerAccount(c.sts) });
        const repository = need(v, 'repository');
        const known = Object.values(config.services).map((s) => s.repository);
        if (!known.includes(repository)) throw new DeployError(`${repository} is not a repository of ${config.environment} (${[...new Set(known)].join(', ')})`, 2);
        const plan = await pushPlan(c.ecr, { region: config.region, repository, tag: v.tag ?? need(v, 'image-tag'), dryRun });
        const flat = { registry: plan.registry, imageUri: plan.imageUri, exists: plan.exists, dryRun: plan.dryRun };
        deps.out(v.format === 'env' ? envLines(flat) : JSON.stringify(plan, null, 2));
        return 0;
      }
      case 'render': {
        const td = await renderFromArgs(v, v.service, v.config ? await readDeployConfig(v.config) : undefined);
        deps.out(JSON.stringify(td, null, 2));
        return 0;
      }
      case 'register': {
        const td = await renderFromArgs(v, v.service, v.config ? await readDeployConfig(v.config) : undefined);
        if (dryRun) {
          log(`[dry-run] would register ${td.family} (${td.containerDefinitions.map((c) => c.image).join(', ')})`);
          return 0;
        }
        deps.out(await registerTaskDefinition(clients().ecs, td));
        return 0;
      }
      case 'update': {
        const ref = { cluster: need(v, 'cluster'), service: need(v, 'service') };
        const target = need(v, 'task-definition');
        const svc = await describeService(clients().ecs, ref);
        if (dryRun) {
          log(`[dry-run] would update ${ref.service}: ${shortArn(svc.taskDefinition)} -> ${shortArn(target)}`);
          return 0;
        }
        deps.out(await updateService(clients().ecs, ref, target));
        return 0;
      }
      case 'deploy': {
        const c = clients();
        const config = await checkedConfig(v, c);
        const service = need(v, 'service');
        const ref = { cluster: config.cluster, service: serviceConfig(config, service).service };
        // By digest, resolved before anything is registered: a missing image fails here.
        const image = await resolveImage(c.ecr, { repository: serviceConfig(config, service).repository, tag: need(v, 'image-tag'), region: config.region });
        log(`${service}: ${serviceConfig(config, service).repository}:${v['image-tag']} is ${image.digest}`);
        const td = await renderFromArgs({ ...v, var: [...(v.var ?? []), `IMAGE=${image.uri}`] }, service, config);
        const result = await rollout(
          {
            ecs: c.ecs, clock: deps.clock, fetch: deps.fetch, log,
            keepImages: (previous) => keepImagesForRollback({ ecr: c.ecr, ecs: c.ecs, log }, { config, previous, imageUri: image.uri }),
          },
          {
            ...ref,
            taskDefinition: td,
            healthUrl: v['health-url'] || undefined,
            timeoutMs: seconds(v, 'timeout', 900),
            pollMs: seconds(v, 'poll', 10),
            healthAttempts: Number(v.attempts ?? 6),
            healthIntervalMs: seconds(v, 'interval', 10),
            dryRun,
          },
        );
        deps.out(JSON.stringify(result, null, 2));
        if (result.status === 'failed') {
          log(
            `DEPLOY FAILED for ${ref.service}: ${result.reason}. ` +
              (result.rollbackCompleted
                ? `Rolled back to ${shortArn(result.rolledBackTo)} (by ${result.rolledBackBy}).`
                : `Rollback to ${shortArn(result.rolledBackTo)} did NOT complete: check "status" now.`),
          );
          return 1;
        }
        return 0;
      }
      case 'migrate': {
        const c = clients();
        const config = await checkedConfig(v, c);
        const r = await migrateCommand(c, config, {
          imageTag: need(v, 'image-tag'), timeoutMs: seconds(v, 'timeout', 900), pollMs: seconds(v, 'poll', 5), dryRun,
        }, { clock: deps.clock, log });
        deps.out(JSON.stringify(r, null, 2));
        return 0;
      }
      case 'wait':
      case 'verify': {
        const ref = { cluster: need(v, 'cluster'), service: need(v, 'service') };
        const id = need(v, 'deployment-id');
        const ecs = clients().ecs;
        if (command === 'verify') {
          const r = verifyDeployment(await describeService(ecs, ref), id);
          deps.out(r.ok ? `deployment ${id} is PRIMARY and COMPLETED` : `not verified: ${r.reason}`);
          return r.ok ? 0 : 1;
        }
        const r = await waitForDeployment({ ecs, clock: deps.clock, log }, ref, id, {
          timeoutMs: seconds(v, 'timeout', 900),
          pollMs: seconds(v, 'poll', 10),
        });
        deps.out(JSON.stringify(r));
        return r.outcome === 'completed' ? 0 : 1;
      }
      case 'health': {
        const r = await checkHealth({ fetch: deps.fetch, clock: deps.clock, log }, need(v, 'url'), {
          attempts: Number(v.attempts ?? 6),
          intervalMs: seconds(v, 'interval', 10),
          timeoutMs: 5000,
        });
        deps.out(r.ok ? `healthy (HTTP ${r.status})` : `unhealthy: ${r.reason}`);
        return r.ok ? 0 : 1;
      }
      case 'rollback': {
        const c = clients();
        const ref = await serviceRef(v, c);
        const r = await rollbackCommand({ ecs: c.ecs, clock: deps.clock, fetch: deps.fetch, log }, ref, {
          to: v.to,
          timeoutMs: seconds(v, 'timeout', 900),
          pollMs: seconds(v, 'poll', 10),
          dryRun,
        });
        deps.out(JSON.stringify(r, null, 2));
        return r.completed || r.dryRun ? 0 : 1;
      }
      case 'status': {
        const c = clients();
        const ref = await serviceRef(v, c);
        const svc = await describeService(c.ecs, ref);
        if (v.json) {
          deps.out(JSON.stringify({ taskDefinition: svc.taskDefinition, desiredCount: svc.desiredCount, runningCount: svc.runningCount, deployments: svc.deployments, events: svc.events?.slice(0, 10) }, null, 2));
          return 0;
        }
        const lines = [
          `${ref.service} in ${ref.cluster}: ${shortArn(svc.taskDefinition)} running ${svc.runningCount ?? 0}/${svc.desiredCount ?? 0}`,
          ...(svc.deployments ?? []).map((d) => `  ${describeDeployment(d)}${d.rolloutStateReason ? ` (${d.rolloutStateReason})` : ''}`),
          'recent events:',
          ...(svc.events ?? []).slice(0, 5).map((e) => `  ${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`),
        ];
        deps.out(lines.join('\n'));
        return 0;
      }
      default:
        deps.err(`error: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof DeployError) {
      deps.err(`error: ${err.message}`);
      return err.exitCode;
    }
    deps.err(`error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
