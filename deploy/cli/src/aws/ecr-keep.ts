import { BatchGetImageCommand, PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { aws, DeployError, isAwsError } from './errors.js';

/**
 * Images a rollout ran are kept past ECR's "newest 50" rule (issue 25): a rollback to
 * a release 51 pushes old must find its image, or its tasks never start. Each such image
 * gets a second tag `deployed-<digest>`; the repositories' lifecycle policy
 * (infrastructure/terraform/ecr.tf) keeps the newest KEEP_DEPLOYED of those in a rule of
 * higher priority, and an image one rule selects is never expired by a later rule.
 * Tags are immutable, so the tag names the digest: the same image always gets the same
 * tag, and tagging it again is a no-op.
 */
export const DEPLOYED_IMAGE_TAG_PREFIX = 'deployed-';

/** The keep tag of an image digest (`sha256:<64 hex>` → `deployed-sha256-<64 hex>`, 80 chars; ECR allows 128). */
export function deployedImageTag(digest: string): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new DeployError(`not an image digest: ${digest}`, 2);
  return `${DEPLOYED_IMAGE_TAG_PREFIX}${digest.replace(':', '-')}`;
}

/** `<registry>/<repository>@sha256:…` → its repository and digest; null for an image not pinned by digest. */
export function parseImageRef(image: string): { registry: string; repository: string; digest: string } | null {
  const m = /^([^/]+)\/([^@:]+)@(sha256:[0-9a-f]{64})$/.exec(image);
  return m ? { registry: m[1]!, repository: m[2]!, digest: m[3]! } : null;
}

/** Adds the keep tag to `repository@digest` (the image's own manifest under a second tag). */
export async function keepImage(ecr: ECRClient, repository: string, digest: string): Promise<string> {
  const imageTag = deployedImageTag(digest);
  const got = await aws(`ecr:BatchGetImage ${repository}@${digest}`, () =>
    ecr.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] })),
  );
  const image = got.images?.[0];
  if (!image?.imageManifest) throw new DeployError(`image ${repository}@${digest} is not in ECR: it cannot be kept for rollbacks`, 1);
  try {
    await ecr.send(
      new PutImageCommand({
        repositoryName: repository,
        imageTag,
        imageDigest: digest,
        imageManifest: image.imageManifest,
        ...(image.imageManifestMediaType ? { imageManifestMediaType: image.imageManifestMediaType } : {}),
      }),
    );
  } catch (err) {
    // Kept already (an earlier rollout of the same image): the tag names this digest.
    if (!isAwsError(err, 'ImageAlreadyExistsException')) {
      await aws(`ecr:PutImage ${repository}:${imageTag}`, () => Promise.reject(err));
    }
  }
  return imageTag;
}

/**
 * Keeps every image of the task definition `ref` (an ARN or FAMILY:REV) that lives in
 * one of `repositories` of this registry: the revision a service runs now, before a
 * rollout replaces it — the first time that is Terraform's bootstrap revision, which no
 * rollout tagged. Images elsewhere (a sidecar from a public registry) are left alone.
 */
export async function keepTaskDefinitionImages(
  deps: { ecr: ECRClient; ecs: ECSClient },
  ref: string,
  o: { registry: string; repositories: readonly string[] },
): Promise<string[]> {
  const res = await aws(`ecs:DescribeTaskDefinition ${ref}`, () => deps.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })));
  const kept: string[] = [];
  for (const c of res.taskDefinition?.containerDefinitions ?? []) {
    const img = c.image ? parseImageRef(c.image) : null;
    if (!img || img.registry !== o.registry || !o.repositories.includes(img.repository)) continue;
    if (kept.includes(`${img.repository}@${img.digest}`)) continue;
    await keepImage(deps.ecr, img.repository, img.digest);
    kept.push(`${img.repository}@${img.digest}`);
  }
  return kept;
}
