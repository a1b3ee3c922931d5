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

export async function recordDeployed(ecs: ECSClient, taskDefinitionArn: string, at: Date): Promise<void> {
  await aws(`ecs:TagResource ${shortArn(taskDefinitionArn)}`, () =>
    ecs.send(new TagResourceCommand({ resourceArn: taskDefinitionArn, tags: [{ key: DEPLOYED_TAG, value: at.toISOString() }] })),
  );
}

export async function wasDeployed(ecs: ECSClient, taskDefinitionArn: string): Promise<boolean> {
  const res = await aws(`ecs:ListTagsForResource ${shortArn(taskDefinitionArn)}`, () =>
    ecs.send(new ListTagsForResourceCommand({ resourceArn: taskDefinitionArn })),
  );
  return (res.tags ?? []).some((t) => t.key === DEPLOYED_TAG);
}

/** The newest ACTIVE revision of the same family, older than `current`, that rolled out successfully. */
export async function lastDeployedBefore(ecs: ECSClient, current: string): Promise<string> {
  const { family, revision } = parseTaskDefinitionArn(current);
  let nextToken: string | undefined;
  do {
    const res = await aws(`ecs:ListTaskDefinitions ${family}`, () =>
      ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', nextToken })),
    );
    for (const arn of res.taskDefinitionArns ?? []) {
      const p = parseTaskDefinitionArn(arn);
      if (p.family === family && p.revision < revision && (await wasDeployed(ecs, arn))) return arn;
    }
    nextToken = res.nextToken;
  } while (nextToken);
  throw new DeployError(`no revision of ${family} older than ${revision} was ever deployed successfully: nothing to roll back to (use --to FAMILY:REV)`, 1);
}
