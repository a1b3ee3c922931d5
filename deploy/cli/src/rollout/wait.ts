import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { describeDeployment, describeService, shortArn, type ServiceRef } from './ecs.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export type Verification =
  | { ok: true }
  | { ok: false; final: boolean; reason: string; primaryTaskDefinition: string | undefined };

/**
 * ERRATA 21: "the service is stable" is not "my rollout worked" - after a
 * circuit-breaker rollback the service is stable on the OLD task definition.
 * Success is: our deployment is PRIMARY, rolloutState COMPLETED, it is the only
 * deployment left and runs its desired count.
 */
export function verifyDeployment(svc: Service, deploymentId: string): Verification {
  const deployments = svc.deployments ?? [];
  const ours = deployments.find((d) => d.id === deploymentId);
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const primaryTaskDefinition = primary?.taskDefinition;
  if (!ours) {
    return { ok: false, final: true, reason: `deployment ${deploymentId} is gone (replaced by ${shortArn(primaryTaskDefinition)})`, primaryTaskDefinition };
  }
  if (ours.rolloutState === 'FAILED') {
    return { ok: false, final: true, reason: `rollout FAILED: ${ours.rolloutStateReason ?? 'no reason given'}`, primaryTaskDefinition };
  }
  if (ours.status !== 'PRIMARY') {
    return { ok: false, final: true, reason: `deployment ${deploymentId} is ${ours.status}, no longer PRIMARY (now ${shortArn(primaryTaskDefinition)})`, primaryTaskDefinition };
  }
  if (ours.rolloutState !== 'COMPLETED') {
    return { ok: false, final: false, reason: `rollout ${ours.rolloutState ?? 'state unknown'}`, primaryTaskDefinition };
  }
  if (deployments.length > 1 || (ours.runningCount ?? 0) < (ours.desiredCount ?? 0)) {
    return { ok: false, final: false, reason: `draining: ${deployments.length} deployments, running ${ours.runningCount}/${ours.desiredCount}`, primaryTaskDefinition };
  }
  return { ok: true };
}

export type WaitResult =
  | { outcome: 'completed' }
  | { outcome: 'failed'; reason: string; primaryTaskDefinition: string | undefined }
  | { outcome: 'timeout'; reason: string };

/** Polls DescribeServices until our deployment is verified, fails, or the timeout passes. */
export async function waitForDeployment(
  deps: { ecs: ECSClient; clock: Clock; log: (m: string) => void },
  ref: ServiceRef,
  deploymentId: string,
  opts: { timeoutMs: number; pollMs: number },
): Promise<WaitResult> {
  const start = deps.clock.now();
  let last = '';
  for (;;) {
    const svc = await describeService(deps.ecs, ref);
    const v = verifyDeployment(svc, deploymentId);
    if (v.ok) return { outcome: 'completed' };
    if (v.final) return { outcome: 'failed', reason: v.reason, primaryTaskDefinition: v.primaryTaskDefinition };
    const line = (svc.deployments ?? []).map(describeDeployment).join(' | ');
    if (line !== last) deps.log(`  ${ref.service}: ${line}`);
    last = line;
    const elapsed = deps.clock.now() - start;
    if (elapsed >= opts.timeoutMs) {
      return { outcome: 'timeout', reason: `not stable after ${Math.round(elapsed / 1000)} s (${v.reason})` };
    }
    await deps.clock.sleep(Math.min(opts.pollMs, Math.max(0, opts.timeoutMs - elapsed)));
  }
}
