import type { Clients } from './aws/clients.js';
import { resolveImage } from './aws/ecr.js';
import { DeployError } from './aws/errors.js';
import { migrateConfig, type DeployConfig } from './config/deploy-config.js';
import { runPreDeploy } from './rollout/migrate.js';
import type { Clock } from './rollout/wait.js';
import { renderTaskDefinitionFile } from './taskdef/render.js';

export interface MigrateArgs {
  file: string;
  imageTag: string;
  timeoutMs: number;
  pollMs: number;
  dryRun: boolean;
}

/**
 * `migrate`: the pre-deploy step of a rollout (deploy/scripts/ecs-deploy.sh runs it before
 * the first service). The image is the release's server image, by digest, like the
 * game-server's own rollout; the task definition is the release's migrate.json.
 */
export async function migrateCommand(c: Clients, config: DeployConfig, a: MigrateArgs, deps: { clock: Clock; log: (m: string) => void }) {
  const m = migrateConfig(config);
  const image = await resolveImage(c.ecr, { repository: m.repository, tag: a.imageTag, region: config.region });
  deps.log(`pre-deploy: ${m.repository}:${a.imageTag} is ${image.digest}`);
  const taskDefinition = await renderTaskDefinitionFile(a.file, { ...config.common_vars, ...m.vars, IMAGE: image.uri });
  if (taskDefinition.family !== m.family) {
    throw new DeployError(`${a.file} is family ${taskDefinition.family}, the configuration's pre-deploy family is ${m.family}`, 2);
  }
  return runPreDeploy(
    { ecs: c.ecs, clock: deps.clock, log: deps.log },
    {
      cluster: config.cluster,
      taskDefinition,
      container: 'migrate',
      subnets: m.subnets,
      securityGroups: m.security_groups,
      timeoutMs: a.timeoutMs,
      pollMs: a.pollMs,
      dryRun: a.dryRun,
    },
  );
}
