import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { aws, DeployError } from '../aws/errors.js';
import type { TaskDefinition } from '../taskdef/schema.js';

export interface ServiceRef {
  cluster: string;
  service: string;
}

export async function describeService(ecs: ECSClient, ref: ServiceRef): Promise<Service> {
  const res = await aws(`ecs:DescribeServices ${ref.service} in ${ref.cluster}`, () =>
    ecs.send(new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] })),
  );
  const svc = res.services?.find((s) => s.serviceName === ref.service || s.serviceArn?.endsWith(`/${ref.service}`));
  if (!svc) {
    const why = res.failures?.[0]?.reason ?? 'MISSING';
    throw new DeployError(
      `service ${ref.service} not found in cluster ${ref.cluster} (${why}): run terraform apply first, or check --cluster/--service`,
      2,
    );
  }
  if (svc.status !== 'ACTIVE') {
    throw new DeployError(`service ${ref.service} is ${svc.status}, not ACTIVE`, 2);
  }
  return svc;
}

export async function registerTaskDefinition(ecs: ECSClient, td: TaskDefinition): Promise<string> {
  const res = await aws(`ecs:RegisterTaskDefinition ${td.family}`, () =>
    ecs.send(new RegisterTaskDefinitionCommand(td)),
  );
  const arn = res.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new DeployError(`ECS registered ${td.family} but returned no ARN`, 3);
  return arn;
}

/** Points the service at a task definition; returns the id of the PRIMARY deployment this created. */
export async function updateService(ecs: ECSClient, ref: ServiceRef, taskDefinition: string): Promise<string> {
  const res = await aws(`ecs:UpdateService ${ref.service} -> ${shortArn(taskDefinition)}`, () =>
    ecs.send(new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, taskDefinition })),
  );
  const ours = res.service?.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinition);
  if (!ours?.id) {
    throw new DeployError(`UpdateService did not return a PRIMARY deployment for ${shortArn(taskDefinition)}`, 3);
  }
  return ours.id;
}

/** "arn:...:task-definition/monkeytown-production-web:42" -> "monkeytown-production-web:42" */
export function shortArn(arn: string | undefined): string {
  if (!arn) return '(none)';
  const i = arn.indexOf('task-definition/');
  return i >= 0 ? arn.slice(i + 'task-definition/'.length) : arn;
}

export function parseTaskDefinitionArn(arn: string): { family: string; revision: number } {
  const m = /([A-Za-z0-9_-]+):(\d+)$/.exec(shortArn(arn));
  if (!m) throw new DeployError(`not a family:revision task definition: ${arn}`, 2);
  return { family: m[1] as string, revision: Number(m[2]) };
}

export function describeDeployment(d: Deployment): string {
  return (
    `${d.id} ${d.status} ${shortArn(d.taskDefinition)} rollout=${d.rolloutState ?? '?'} ` +
    `running=${d.runningCount ?? 0}/${d.desiredCount ?? 0} pending=${d.pendingCount ?? 0} failed=${d.failedTasks ?? 0}`
  );
}

/** An ARN as given, or the ARN of FAMILY:REV (the records are tags, and tags need ARNs). */
export async function resolveTaskDefinitionArn(ecs: ECSClient, ref: string): Promise<string> {
  if (ref.startsWith('arn:')) return ref;
  const res = await aws(`ecs:DescribeTaskDefinition ${ref}`, () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })));
  const arn = res.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new DeployError(`task definition ${ref} not found`, 1);
  return arn;
}
