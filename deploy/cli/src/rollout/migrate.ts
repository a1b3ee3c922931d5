import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { aws, DeployError } from '../aws/errors.js';
import type { TaskDefinition } from '../taskdef/schema.js';
import { registerTaskDefinition, shortArn } from './ecs.js';
import type { Clock } from './wait.js';

/**
 * The one-off pre-deploy task (issue 25): the release's own image runs its database
 * role set-up and migrations (server/src/bin/migrate.ts) as an ECS task, and the
 * rollout goes on only when that task's container exited 0. Run BEFORE any service is
 * updated, so a migration that fails leaves every service on the version it was
 * running, and the migrations run once per rollout, not in every new task.
 */
export interface PreDeployOptions {
  cluster: string;
  taskDefinition: TaskDefinition;
  /** The container whose exit code decides (task-definitions/migrate.json). */
  container: string;
  subnets: string[];
  securityGroups: string[];
  timeoutMs: number;
  pollMs: number;
  dryRun: boolean;
}

export interface PreDeployDeps {
  ecs: ECSClient;
  clock: Clock;
  log: (m: string) => void;
}

export type PreDeployResult =
  | { status: 'dry-run'; plan: string[] }
  | { status: 'migrated'; taskDefinitionArn: string; taskArn: string; exitCode: 0 };

/** Why a migration task counts as failed; exit code 1 (nothing was rolled out). */
export class PreDeployFailed extends DeployError {
  constructor(reason: string, readonly taskArn?: string) {
    super(`pre-deploy migration failed: ${reason}. No service was updated: every service still runs its previous version.`, 1);
  }
}

export async function runPreDeploy(deps: PreDeployDeps, o: PreDeployOptions): Promise<PreDeployResult> {
  const image = o.taskDefinition.containerDefinitions.find((c) => c.name === o.container)?.image;
  if (!image) throw new DeployError(`${o.taskDefinition.family} has no container "${o.container}"`, 2);
  if (o.dryRun) {
    const plan = [
      `register task definition ${o.taskDefinition.family} (${o.container}=${image})`,
      `run it once in ${o.cluster} (Fargate, subnets ${o.subnets.join(',')}, security groups ${o.securityGroups.join(',')}, no public IP)`,
      `wait up to ${Math.round(o.timeoutMs / 1000)} s for it to stop; go on only if ${o.container} exited 0, else stop before any service`,
    ];
    for (const line of plan) deps.log(`[dry-run] would ${line}`);
    return { status: 'dry-run', plan };
  }

  const taskDefinitionArn = await registerTaskDefinition(deps.ecs, o.taskDefinition);
  deps.log(`registered ${shortArn(taskDefinitionArn)} (${image})`);
  const res = await aws(`ecs:RunTask ${shortArn(taskDefinitionArn)} in ${o.cluster}`, () =>
    deps.ecs.send(
      new RunTaskCommand({
        cluster: o.cluster,
        taskDefinition: taskDefinitionArn,
        launchType: 'FARGATE',
        count: 1,
        startedBy: 'monkeytown-deploy',
        networkConfiguration: { awsvpcConfiguration: { subnets: o.subnets, securityGroups: o.securityGroups, assignPublicIp: 'DISABLED' } },
      }),
    ),
  );
  const taskArn = res.tasks?.[0]?.taskArn;
  if (!taskArn) {
    const f = res.failures?.[0];
    throw new PreDeployFailed(`ECS did not start the task (${f ? `${f.reason ?? 'no reason'}${f.detail ? `: ${f.detail}` : ''}` : 'no task and no failure returned'})`);
  }
  deps.log(`pre-deploy task ${taskId(taskArn)} started (${shortArn(taskDefinitionArn)})`);

  const start = deps.clock.now();
  let last = '';
  for (;;) {
    const task = await describeTask(deps.ecs, o.cluster, taskArn);
    if (task.lastStatus === 'STOPPED') return verdict(task, o.container, taskDefinitionArn, taskArn, deps.log);
    const line = `pre-deploy task ${taskId(taskArn)}: ${task.lastStatus ?? '?'}`;
    if (line !== last) deps.log(`  ${line}`);
    last = line;
    const elapsed = deps.clock.now() - start;
    if (elapsed >= o.timeoutMs) {
      // One transaction per run (server/src/db/migrate.ts): a stopped task applied nothing.
      await aws(`ecs:StopTask ${taskId(taskArn)}`, () =>
        deps.ecs.send(new StopTaskCommand({ cluster: o.cluster, task: taskArn, reason: `monkeytown-deploy: migration did not finish within ${Math.round(o.timeoutMs / 1000)} s` })),
      );
      throw new PreDeployFailed(`task ${taskId(taskArn)} did not finish within ${Math.round(elapsed / 1000)} s (last status ${task.lastStatus ?? 'unknown'}); it was stopped`, taskArn);
    }
    await deps.clock.sleep(Math.min(o.pollMs, Math.max(0, o.timeoutMs - elapsed)));
  }
}

async function describeTask(ecs: ECSClient, cluster: string, taskArn: string): Promise<Task> {
  const res = await aws(`ecs:DescribeTasks ${taskId(taskArn)}`, () => ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] })));
  const task = res.tasks?.find((t) => t.taskArn === taskArn);
  if (!task) throw new PreDeployFailed(`task ${taskId(taskArn)} is gone (${res.failures?.[0]?.reason ?? 'not found'})`, taskArn);
  return task;
}

function verdict(task: Task, container: string, taskDefinitionArn: string, taskArn: string, log: (m: string) => void): PreDeployResult {
  const c = task.containers?.find((x) => x.name === container);
  const where = `task ${taskId(taskArn)}; its log: stream ${container}/${container}/${taskId(taskArn)}`;
  if (c?.exitCode === 0) {
    log(`pre-deploy task ${taskId(taskArn)}: ${container} exited 0 (role ready, migrations applied)`);
    return { status: 'migrated', taskDefinitionArn, taskArn, exitCode: 0 };
  }
  if (c?.exitCode !== undefined && c.exitCode !== null) {
    throw new PreDeployFailed(`${container} exited ${c.exitCode}${c.reason ? ` (${c.reason})` : ''} (${where})`, taskArn);
  }
  // Never ran to an exit: image pull, secret fetch or network failure (stoppedReason says which).
  throw new PreDeployFailed(
    `${container} never ran to completion: ${task.stoppedReason ?? 'no reason given'}${c?.reason ? `; ${c.reason}` : ''} (${task.stopCode ?? 'no stop code'}, ${where})`,
    taskArn,
  );
}

const taskId = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
