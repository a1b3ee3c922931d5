import type { Clients } from './aws/clients.js';
import { resolveImage } from './aws/ecr.js';
import { migrateConfig, type DeployConfig } from './config/deploy-config.js';
import { runPreDeploy } from './rollout/migrate.js';
import type { Clock } from './rollout/wait.js';

export interface MigrateArgs {
  imageTag: string;
  timeoutMs: number;
  pollMs: number;
  dryRun: boolean;
}

/**
 * `migrate`: the pre-deploy step of a rollout (deploy/scripts/ecs-deploy.sh runs it before
 * the first service; Terraform's first apply runs it too). The release's server image tag is
 * resolved to its digest, like the game-server's own rollout, and that digest is all the
 * pre-deploy state machine is given: the migrate task definition is Terraform's
 * (task-definitions/migrate.json as of the last apply), not the caller's.
 */
export async function migrateCommand(c: Clients, config: DeployConfig, a: MigrateArgs, deps: { clock: Clock; log: (m: string) => void }) {
  const m = migrateConfig(config);
  const image = await resolveImage(c.ecr, { repository: m.repository, tag: a.imageTag, region: config.region });
  deps.log(`pre-deploy: ${m.repository}:${a.imageTag} is ${image.digest}`);
  return runPreDeploy(
    { sfn: c.sfn, clock: deps.clock, log: deps.log },
    { stateMachineArn: m.state_machine, digest: image.digest, imageTag: a.imageTag, timeoutMs: a.timeoutMs, pollMs: a.pollMs, dryRun: a.dryRun },
  );
}
