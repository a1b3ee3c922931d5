import {
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

/**
 * Terraform owns the repositories (ecr.tf): this never creates one. A missing
 * repository means the wrong region/account or a missing terraform apply.
 */
export async function findRepository(ecr: ECRClient, name: string, region: string): Promise<Repository> {
  try {
    const res = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    const repo = res.repositories?.[0];
    if (repo?.repositoryUri) return repo;
  } catch (err) {
    if (!isAwsError(err, 'RepositoryNotFoundException')) {
      return aws(`ecr:DescribeRepositories for ${name}`, () => Promise.reject(err));
    }
  }
  throw new DeployError(
    `ECR repository ${name} does not exist in ${region}. Terraform owns the repositories: run terraform apply for this environment (and check the region).`,
    2,
  );
}

/** The digest of repository:tag, or undefined when the tag is not there. */
export async function imageDigest(ecr: ECRClient, repository: string, tag: string): Promise<string | undefined> {
  try {
    const res = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
    return res.imageDetails?.[0]?.imageDigest;
  } catch (err) {
    if (isAwsError(err, 'ImageNotFoundException')) return undefined;
    return aws(`ecr:DescribeImages ${repository}:${tag}`, () => Promise.reject(err));
  }
}

/**
 * Deploys run by digest: the tag is resolved once, before anything is registered, so
 * a missing image fails fast and the task definition names exactly the bytes tested.
 */
export async function resolveImage(
  ecr: ECRClient,
  o: { repository: string; tag: string; region: string },
): Promise<{ uri: string; digest: string }> {
  const repo = await findRepository(ecr, o.repository, o.region);
  const digest = await imageDigest(ecr, o.repository, o.tag);
  if (!digest) {
    throw new DeployError(`image ${o.repository}:${o.tag} is not in ECR (${o.region}): push it with deploy/scripts/ecr-push.sh first`, 2);
  }
  return { uri: `${repo.repositoryUri}@${digest}`, digest };
}

export interface PushPlan {
  registry: string;
  repository: string;
  tag: string;
  imageUri: string;
  /** The tag is already in ECR: skip build and push. */
  exists: boolean;
  dryRun: boolean;
}

/** Everything the push script needs to decide and tag: the image URI and whether to push at all. */
export async function pushPlan(
  ecr: ECRClient,
  opts: { region: string; repository: string; tag: string; dryRun: boolean },
): Promise<PushPlan> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(opts.tag)) {
    throw new DeployError(`invalid image tag "${opts.tag}"`, 2);
  }
  const repo = await findRepository(ecr, opts.repository, opts.region);
  const uri = repo.repositoryUri as string;
  const exists = (await imageDigest(ecr, opts.repository, opts.tag)) !== undefined;
  return {
    registry: uri.slice(0, uri.indexOf('/')),
    repository: opts.repository,
    tag: opts.tag,
    imageUri: `${uri}:${opts.tag}`,
    exists,
    dryRun: opts.dryRun,
  };
}
