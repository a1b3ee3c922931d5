import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { aws, DeployError, isAwsError } from './errors.js';

export interface EcrLogin {
  /** Host name for `docker login` (no scheme). */
  registry: string;
  username: string;
  password: string;
  expiresAt: string | undefined;
}

/** The `docker login` credentials ECR hands out (valid 12 hours). */
export async function ecrLogin(ecr: ECRClient): Promise<EcrLogin> {
  const res = await aws('ecr:GetAuthorizationToken', () => ecr.send(new GetAuthorizationTokenCommand({})));
  const data = res.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new DeployError('ECR returned no authorization data', 3);
  }
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep < 0) throw new DeployError('ECR authorization token is not user:password', 3);
  return {
    registry: data.proxyEndpoint.replace(/^https?:\/\//, ''),
    username: decoded.slice(0, sep),
    password: decoded.slice(sep + 1),
    expiresAt: data.expiresAt?.toISOString(),
  };
}

export interface EnsureRepositoryResult {
  repositoryUri: string;
  created: boolean;
  /** True when --dry-run found the repository missing and did not create it. */
  wouldCreate: boolean;
}

/**
 * Find the repository; create it (scan on push, immutable tags, like
 * Terraform's) when it is missing, unless this is a dry run.
 */
export async function ensureRepository(
  ecr: ECRClient,
  name: string,
  opts: { dryRun: boolean; registry: string },
): Promise<EnsureRepositoryResult> {
  let existing: Repository | undefined;
  try {
    const res = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    existing = res.repositories?.[0];
  } catch (err) {
    if (!isAwsError(err, 'RepositoryNotFoundException')) {
      return aws(`ecr:DescribeRepositories for ${name}`, () => Promise.reject(err));
    }
  }
  if (existing?.repositoryUri) return { repositoryUri: existing.repositoryUri, created: false, wouldCreate: false };
  if (opts.dryRun) return { repositoryUri: `${opts.registry}/${name}`, created: false, wouldCreate: true };
  const created = await aws(`ecr:CreateRepository ${name}`, () =>
    ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'AES256' },
      }),
    ),
  );
  const uri = created.repository?.repositoryUri;
  if (!uri) throw new DeployError(`ECR created ${name} but returned no URI`, 3);
  return { repositoryUri: uri, created: true, wouldCreate: false };
}

/** Whether repository:tag already exists (tags are immutable: never push twice). */
export async function imageExists(ecr: ECRClient, repository: string, tag: string): Promise<boolean> {
  try {
    const res = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
    return (res.imageDetails?.length ?? 0) > 0;
  } catch (err) {
    if (isAwsError(err, 'ImageNotFoundException', 'RepositoryNotFoundException')) return false;
    return aws(`ecr:DescribeImages ${repository}:${tag}`, () => Promise.reject(err));
  }
}

export interface PushPlan {
  registry: string;
  repository: string;
  tag: string;
  imageUri: string;
  repositoryCreated: boolean;
  /** The tag is already in ECR: skip build and push. */
  exists: boolean;
  dryRun: boolean;
}

/** Everything the push script needs to decide and tag: the image URI and whether to push at all. */
export async function pushPlan(
  ecr: ECRClient,
  opts: { registry: string; repository: string; tag: string; dryRun: boolean },
): Promise<PushPlan> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(opts.tag)) {
    throw new DeployError(`invalid image tag "${opts.tag}"`, 2);
  }
  const repo = await ensureRepository(ecr, opts.repository, { dryRun: opts.dryRun, registry: opts.registry });
  const exists = repo.wouldCreate ? false : await imageExists(ecr, opts.repository, opts.tag);
  return {
    registry: opts.registry,
    repository: opts.repository,
    tag: opts.tag,
    imageUri: `${repo.repositoryUri}:${opts.tag}`,
    repositoryCreated: repo.created,
    exists,
    dryRun: opts.dryRun,
  };
}
