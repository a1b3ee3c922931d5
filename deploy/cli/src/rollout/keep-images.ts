import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { keepImage, keepTaskDefinitionImages, parseImageRef } from '../aws/ecr-keep.js';
import type { DeployConfig } from '../config/deploy-config.js';

/**
 * Before a rollout registers anything: keep (aws/ecr-keep.ts) the images of the revision
 * the service runs now, the rollback target should this release go wrong, and the image
 * about to roll out, a rollback target of later releases.
 */
export async function keepImagesForRollback(
  deps: { ecr: ECRClient; ecs: ECSClient; log: (m: string) => void },
  o: { config: DeployConfig; previous: string; imageUri: string },
): Promise<void> {
  const next = parseImageRef(o.imageUri);
  if (!next) return;
  const repositories = Object.values(o.config.services).map((s) => s.repository);
  const kept = await keepTaskDefinitionImages(deps, o.previous, { registry: next.registry, repositories });
  // A redeploy of the running image: kept just now with the running revision's.
  const ref = `${next.repository}@${next.digest}`;
  if (!kept.includes(ref)) {
    await keepImage(deps.ecr, next.repository, next.digest);
    kept.push(ref);
  }
  deps.log(`kept for rollbacks (tag deployed-<digest>): ${kept.join(', ')}`);
}
