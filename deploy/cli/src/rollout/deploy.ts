import type { ECSClient } from '@aws-sdk/client-ecs';
import { DeployError } from '../aws/errors.js';
import type { TaskDefinition } from '../taskdef/schema.js';
import { describeService, registerTaskDefinition, resolveTaskDefinitionArn, shortArn, updateService, type ServiceRef } from './ecs.js';
import { assertRollbackTarget, lastDeployedBefore, recordDeployed, recordRolledBack, wasDeployed } from './records.js';
import { checkHealth } from './health.js';
import { waitForDeployment, type Clock } from './wait.js';

export interface RolloutDeps {
  ecs: ECSClient;
  clock: Clock;
  fetch: typeof fetch;
  log: (m: string) => void;
  /** Keep the images of the running revision (`previous`) and of the new one past ECR's expiry (rollout/keep-images.ts). */
  keepImages?: (previous: string) => Promise<void>;
}

export interface RolloutOptions extends ServiceRef {
  taskDefinition: TaskDefinition;
  healthUrl?: string | undefined;
  timeoutMs: number;
  pollMs: number;
  healthAttempts: number;
  healthIntervalMs: number;
  dryRun: boolean;
}

export type RolloutResult =
  | { status: 'deployed'; taskDefinitionArn: string; deploymentId: string }
  | { status: 'dry-run'; previousTaskDefinitionArn: string; plan: string[] }
  | {
      status: 'failed';
      reason: string;
      taskDefinitionArn: string;
      /** Who put the previous revision back: ECS's circuit breaker or this tool. */
      rolledBackBy: 'circuit-breaker' | 'deploy-cli' | 'none';
      rolledBackTo: string;
      rollbackCompleted: boolean;
    };

/**
 * The spec's blue/green procedure done right (ERRATA 21): register, update,
 * wait, verify OUR deployment is PRIMARY+COMPLETED, check the health URL, and
 * otherwise put the previous task definition back and report failure.
 */
export async function rollout(deps: RolloutDeps, o: RolloutOptions): Promise<RolloutResult> {
  const ref = { cluster: o.cluster, service: o.service };
  const svc = await describeService(deps.ecs, ref);
  const previous = svc.taskDefinition;
  if (!previous) throw new DeployError(`service ${o.service} has no current task definition`, 3);
  const inFlight = (svc.deployments ?? []).filter((d) => d.rolloutState === 'IN_PROGRESS');
  if (inFlight.length > 0) {
    throw new DeployError(
      `service ${o.service} already has a rollout in progress (${inFlight.map((d) => shortArn(d.taskDefinition)).join(', ')}): wait for it or check "status"`,
      1,
    );
  }

  const image = o.taskDefinition.containerDefinitions.map((c) => `${c.name}=${c.image}`).join(', ');
  const steady = svc.deployments?.length === 1 && svc.deployments[0]?.status === 'PRIMARY' && svc.deployments[0]?.rolloutState === 'COMPLETED';
  if (o.dryRun) {
    const plan = [
      `register task definition ${o.taskDefinition.family} (${image})`,
      `update service ${o.service} in ${o.cluster}: ${shortArn(previous)} -> ${o.taskDefinition.family}:<new revision>`,
      `wait up to ${Math.round(o.timeoutMs / 1000)} s for the new deployment to be PRIMARY with rolloutState COMPLETED`,
      o.healthUrl ? `check ${o.healthUrl} answers 2xx (${o.healthAttempts} attempts)` : 'no health URL to check',
      ...(deps.keepImages ? [`keep the images of ${shortArn(previous)} and ${o.taskDefinition.family} past ECR's newest-50 rule (tag deployed-<digest>)`] : []),
      `roll back to ${shortArn(previous)} if any step fails`,
    ];
    for (const line of plan) deps.log(`[dry-run] would ${line}`);
    return { status: 'dry-run', previousTaskDefinitionArn: previous, plan };
  }

  // The revision running steadily now (Terraform's bootstrap one, the first time) is a
  // known-good rollback target: record it if no rollout did.
  if (steady && !(await wasDeployed(deps.ecs, previous))) await recordDeployed(deps.ecs, previous, new Date(deps.clock.now()));

  await deps.keepImages?.(previous);
  const arn = await registerTaskDefinition(deps.ecs, o.taskDefinition);
  deps.log(`registered ${shortArn(arn)} (${image})`);
  const deploymentId = await updateService(deps.ecs, ref, arn);
  deps.log(`updated ${o.service}: ${shortArn(previous)} -> ${shortArn(arn)} (deployment ${deploymentId})`);

  const waited = await waitForDeployment(deps, ref, deploymentId, { timeoutMs: o.timeoutMs, pollMs: o.pollMs });
  let reason: string;
  if (waited.outcome === 'completed') {
    deps.log(`${o.service}: deployment ${deploymentId} is PRIMARY and COMPLETED`);
    const health = o.healthUrl
      ? await checkHealth(deps, o.healthUrl, { attempts: o.healthAttempts, intervalMs: o.healthIntervalMs, timeoutMs: 5000 })
      : undefined;
    if (!health || health.ok) {
      if (health?.ok) deps.log(`${o.service}: ${o.healthUrl} answered ${health.status}`);
      await recordDeployed(deps.ecs, arn, new Date(deps.clock.now()));
      return { status: 'deployed', taskDefinitionArn: arn, deploymentId };
    }
    reason = `health check failed: ${health.reason}`;
  } else if (waited.outcome === 'failed') {
    if (waited.primaryTaskDefinition === previous) {
      // The circuit breaker already put the previous revision back as PRIMARY.
      deps.log(`${o.service}: ${waited.reason}; ECS circuit breaker rolled back to ${shortArn(previous)}`);
      const back = await waitForPrimary(deps, ref, o);
      return {
        status: 'failed',
        reason: `circuit breaker rolled back: ${waited.reason}`,
        taskDefinitionArn: arn,
        rolledBackBy: 'circuit-breaker',
        rolledBackTo: previous,
        rollbackCompleted: back,
      };
    }
    reason = waited.reason;
  } else {
    reason = `waiter timed out: ${waited.reason}`;
  }

  deps.log(`${o.service}: ${reason}; rolling back to ${shortArn(previous)}`);
  const back = await rollbackTo(deps, ref, previous, o);
  return {
    status: 'failed',
    reason,
    taskDefinitionArn: arn,
    rolledBackBy: 'deploy-cli',
    rolledBackTo: previous,
    rollbackCompleted: back,
  };
}

/** After a circuit-breaker rollback: wait until the restored PRIMARY deployment settles. */
async function waitForPrimary(deps: RolloutDeps, ref: ServiceRef, o: { timeoutMs: number; pollMs: number }): Promise<boolean> {
  const svc = await describeService(deps.ecs, ref);
  const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary?.id) return false;
  const r = await waitForDeployment(deps, ref, primary.id, o);
  return r.outcome === 'completed';
}

/** Explicit rollback: point the service back and wait for that deployment to complete. */
export async function rollbackTo(
  deps: RolloutDeps,
  ref: ServiceRef,
  target: string,
  o: { timeoutMs: number; pollMs: number },
): Promise<boolean> {
  const id = await updateService(deps.ecs, ref, target);
  const r = await waitForDeployment(deps, ref, id, o);
  if (r.outcome === 'completed') {
    deps.log(`${ref.service}: rolled back to ${shortArn(target)} (deployment ${id} COMPLETED)`);
    return true;
  }
  deps.log(`${ref.service}: rollback to ${shortArn(target)} did not complete: ${r.reason}`);
  return false;
}

/** The `rollback` command: to --to, or to the last revision of the running family that rolled out successfully. */
export async function rollbackCommand(
  deps: RolloutDeps,
  ref: ServiceRef,
  o: { to?: string | undefined; timeoutMs: number; pollMs: number; dryRun: boolean },
): Promise<{ from: string; to: string; completed: boolean; dryRun: boolean }> {
  const svc = await describeService(deps.ecs, ref);
  const current = svc.taskDefinition;
  if (!current) throw new DeployError(`service ${ref.service} has no task definition`, 3);
  const to = o.to ?? (await lastDeployedBefore(deps.ecs, current));
  // --to is checked against the records too: it may not name a revision that never rolled
  // out, or one a rollback already left (issue 25).
  if (o.to) await assertRollbackTarget(deps.ecs, await resolveTaskDefinitionArn(deps.ecs, o.to));
  if (o.dryRun) {
    deps.log(`[dry-run] would update ${ref.service}: ${shortArn(current)} -> ${shortArn(to)} and wait`);
    return { from: current, to, completed: false, dryRun: true };
  }
  deps.log(`rolling ${ref.service} back: ${shortArn(current)} -> ${shortArn(to)}`);
  // Recorded before the update: a rollback that then stalls must still never return here.
  await recordRolledBack(deps.ecs, current, new Date(deps.clock.now()));
  const completed = await rollbackTo(deps, ref, to, o);
  return { from: current, to, completed, dryRun: false };
}
