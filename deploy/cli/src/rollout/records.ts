import { ListTagsForResourceCommand, ListTaskDefinitionsCommand, TagResourceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { aws, DeployError } from '../aws/errors.js';
import { parseTaskDefinitionArn, shortArn } from './ecs.js';

/**
 * Which revisions rolled out successfully, recorded on the task definitions
 * themselves (a tag; ECS keeps it as long as the revision). Rollback goes to the
 * last revision recorded here, never just "the newest older one": that one may be
 * a rollout that failed, or a revision nobody deployed.
 */
export const DEPLOYED_TAG = 'monkeytown:deployed-at';
/**
 * Set on a revision the `rollback` command rolled away from (issue 25): it rolled out
 * fine, so it carries DEPLOYED_TAG too, but someone judged it bad. A later rollback must
 * never pick it again (nor be pointed at it with --to) just because it once deployed.
 */
export const ROLLED_BACK_TAG = 'monkeytown:rolled-back-at';

async function tag(ecs: ECSClient, taskDefinitionArn: string, key: string, at: Date): Promise<void> {
  await aws(`ecs:TagResource ${shortArn(taskDefinitionArn)}`, () =>
    ecs.send(new TagResourceCommand({ resourceArn: taskDefinitionArn, tags: [{ key, value: at.toISOString() }] })),
  );
}

export const recordDeployed = (ecs: ECSClient, taskDefinitionArn: string, at: Date) => tag(ecs, taskDefinitionArn, DEPLOYED_TAG, at);
export const recordRolledBack = (ecs: ECSClient, taskDefinitionArn: string, at: Date) => tag(ecs, taskDefinitionArn, ROLLED_BACK_TAG, at);

/** What the records say of a revision: rolled out successfully once; rolled away from since. */
export async function recordsOf(ecs: ECSClient, taskDefinitionArn: string): Promise<{ deployed: boolean; rolledBack: boolean }> {
  const res = await aws(`ecs:ListTagsForResource ${shortArn(taskDefinitionArn)}`, () =>
    ecs.send(new ListTagsForResourceCommand({ resourceArn: taskDefinitionArn })),
  );
  const keys = new Set((res.tags ?? []).map((t) => t.key));
  return { deployed: keys.has(DEPLOYED_TAG), rolledBack: keys.has(ROLLED_BACK_TAG) };
}

export async function wasDeployed(ecs: ECSClient, taskDefinitionArn: string): Promise<boolean> {
  return (await recordsOf(ecs, taskDefinitionArn)).deployed;
}

/** A rollback target must have rolled out and must not have been rolled back from already. */
export async function assertRollbackTarget(ecs: ECSClient, taskDefinitionArn: string): Promise<void> {
  const r = await recordsOf(ecs, taskDefinitionArn);
  if (r.rolledBack) {
    throw new DeployError(`${shortArn(taskDefinitionArn)} was rolled back from already (tag ${ROLLED_BACK_TAG}): refusing to roll back to it again`, 1);
  }
  if (!r.deployed) {
    throw new DeployError(`${shortArn(taskDefinitionArn)} never rolled out successfully (no ${DEPLOYED_TAG} tag): refusing to roll back to it`, 1);
  }
}

/** The newest ACTIVE revision of the same family, older than `current`, that rolled out successfully and was not rolled back from. */
export async function lastDeployedBefore(ecs: ECSClient, current: string): Promise<string> {
  const { family, revision } = parseTaskDefinitionArn(current);
  let nextToken: string | undefined;
  do {
    const res = await aws(`ecs:ListTaskDefinitions ${family}`, () =>
      ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', nextToken })),
    );
    for (const arn of res.taskDefinitionArns ?? []) {
      const p = parseTaskDefinitionArn(arn);
      if (p.family !== family || p.revision >= revision) continue;
      const r = await recordsOf(ecs, arn);
      if (r.deployed && !r.rolledBack) return arn;
    }
    nextToken = res.nextToken;
  } while (nextToken);
  throw new DeployError(
    `no revision of ${family} older than ${revision} was ever deployed successfully (and not rolled back from since): nothing to roll back to (use --to FAMILY:REV)`,
    1,
  );
}
