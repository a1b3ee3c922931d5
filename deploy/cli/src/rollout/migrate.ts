import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand, type DescribeExecutionCommandOutput, type SFNClient } from '@aws-sdk/client-sfn';
import { aws, DeployError } from '../aws/errors.js';
import type { Clock } from './wait.js';

/**
 * The one-off pre-deploy task (issue 25): the release's own server image runs its
 * database role set-up and migrations (server/src/bin/migrate.ts) as an ECS task, and the
 * rollout goes on only when that task's container exited 0. Run BEFORE any service is
 * updated, so a migration that fails leaves every service on the version it was running,
 * and the migrations run once per rollout, not in every new task.
 *
 * The deploy CLI does not run that task itself: it starts the pre-deploy state machine
 * Terraform owns (infrastructure/terraform/pre-deploy-sfn.tf) with the image's digest, the
 * one input it takes, and waits for the execution. The state machine registers the migrate
 * revision and runs it; only its role may pass the pre-deploy task's roles, so the deploy
 * role cannot put the role that reads the RDS master secret into any task definition.
 */
export interface PreDeployOptions {
  stateMachineArn: string;
  /** The release's server image, by digest (sha256:...): the state machine's only input. */
  digest: string;
  /** For the execution's name, so an operator can find it in the console. */
  imageTag: string;
  timeoutMs: number;
  pollMs: number;
  dryRun: boolean;
}

export interface PreDeployDeps {
  sfn: SFNClient;
  clock: Clock;
  log: (m: string) => void;
}

export type PreDeployResult =
  | { status: 'dry-run'; plan: string[] }
  | { status: 'migrated'; executionArn: string; taskArn?: string; taskDefinitionArn?: string; exitCode: 0 };

/** Why the pre-deploy step counts as failed; exit code 1 (nothing was rolled out). */
export class PreDeployFailed extends DeployError {
  constructor(reason: string, readonly executionArn?: string) {
    super(`pre-deploy migration failed: ${reason}. No service was updated: every service still runs its previous version.`, 1);
  }
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export async function runPreDeploy(deps: PreDeployDeps, o: PreDeployOptions): Promise<PreDeployResult> {
  // The state machine refuses anything else too; saying so here costs no execution.
  if (!DIGEST.test(o.digest)) throw new DeployError(`pre-deploy: ${o.digest} is not an image digest (sha256:<64 hex>)`, 2);
  const input = JSON.stringify({ digest: o.digest });
  if (o.dryRun) {
    const plan = [
      `start ${arnName(o.stateMachineArn)} with ${input} (it registers the migrate task for that digest and runs it once)`,
      `wait up to ${Math.round(o.timeoutMs / 1000)} s for the execution; go on only if it SUCCEEDED, else stop before any service`,
    ];
    for (const line of plan) deps.log(`[dry-run] would ${line}`);
    return { status: 'dry-run', plan };
  }

  const started = await aws(`states:StartExecution ${arnName(o.stateMachineArn)}`, () =>
    deps.sfn.send(new StartExecutionCommand({ stateMachineArn: o.stateMachineArn, name: executionName(o.imageTag), input })),
  );
  const executionArn = started.executionArn;
  if (!executionArn) throw new PreDeployFailed('Step Functions started no execution (no execution ARN returned)');
  deps.log(`pre-deploy execution ${arnName(executionArn)} started (${o.digest})`);

  const start = deps.clock.now();
  let last = '';
  for (;;) {
    const ex = await aws(`states:DescribeExecution ${arnName(executionArn)}`, () => deps.sfn.send(new DescribeExecutionCommand({ executionArn })));
    if (ex.status === 'SUCCEEDED') return succeeded(ex, executionArn, deps.log);
    if (ex.status && ex.status !== 'RUNNING') throw failed(ex, executionArn);
    const line = `pre-deploy execution ${arnName(executionArn)}: ${ex.status ?? '?'}`;
    if (line !== last) deps.log(`  ${line}`);
    last = line;
    const elapsed = deps.clock.now() - start;
    if (elapsed >= o.timeoutMs) {
      // Stopping the execution stops its task (runTask.sync); one transaction per run
      // (server/src/db/migrate.ts): a stopped task applied nothing.
      const seconds = Math.round(o.timeoutMs / 1000);
      await aws(`states:StopExecution ${arnName(executionArn)}`, () =>
        deps.sfn.send(new StopExecutionCommand({ executionArn, error: 'Monkeytown.Timeout', cause: `monkeytown-deploy: migration did not finish within ${seconds} s` })),
      );
      throw new PreDeployFailed(`execution ${arnName(executionArn)} did not finish within ${Math.round(elapsed / 1000)} s (last status ${ex.status ?? 'unknown'}); it was stopped`, executionArn);
    }
    await deps.clock.sleep(Math.min(o.pollMs, Math.max(0, o.timeoutMs - elapsed)));
  }
}

function succeeded(ex: DescribeExecutionCommandOutput, executionArn: string, log: (m: string) => void): PreDeployResult {
  // The state machine's output (pre-deploy-sfn.tf, RunMigrations): what ran, and its exit code.
  let out: { taskArn?: string; taskDefinitionArn?: string } = {};
  try {
    out = JSON.parse(ex.output ?? '{}') as typeof out;
  } catch {
    /* an output we cannot read does not undo a success */
  }
  log(`pre-deploy execution ${arnName(executionArn)}: migrate exited 0 (role ready, migrations applied${out.taskArn ? `; task ${lastPart(out.taskArn)}` : ''})`);
  return { status: 'migrated', executionArn, ...(out.taskArn ? { taskArn: out.taskArn } : {}), ...(out.taskDefinitionArn ? { taskDefinitionArn: out.taskDefinitionArn } : {}), exitCode: 0 };
}

function failed(ex: DescribeExecutionCommandOutput, executionArn: string): PreDeployFailed {
  const why = [ex.error, ex.cause].filter(Boolean).join(': ') || 'no error given';
  return new PreDeployFailed(`execution ${arnName(executionArn)} ended ${ex.status}: ${why} (Step Functions console: execution ${executionArn})`, executionArn);
}

/** Unique (Step Functions keeps names for 90 days), readable, within 80 characters of [A-Za-z0-9_-]. */
function executionName(tag: string): string {
  return `${tag.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 60)}-${randomUUID().slice(0, 8)}`;
}

const lastPart = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
/** A state machine's name, or an execution's (its id): both end their ARN after the last ':'. */
const arnName = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);
