import { readFile } from 'node:fs/promises';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { aws, DeployError, isAwsError } from '../aws/errors.js';

/**
 * The non-secret deploy configuration Terraform publishes (outputs.tf: output
 * `deploy_config` and the SSM parameter /monkeytown-<env>/deploy-config). Deployers
 * work from this, never from Terraform state (which holds the Redis token).
 */
const ServiceConfig = z.object({
  service: z.string().min(1),
  family: z.string().min(1),
  task_definition: z.string().regex(/^[a-z-]+\.json$/),
  repository: z.string().min(1),
  vars: z.record(z.string(), z.string()),
});

/**
 * The one-off pre-deploy task (infrastructure/terraform/migrate.tf, pre-deploy-sfn.tf): not
 * a service. The deploy CLI only starts the state machine Terraform owns, with the digest
 * of `repository`'s image; the task definition, roles and network are fixed in it.
 */
const MigrateConfig = z.object({
  family: z.string().min(1),
  repository: z.string().min(1),
  state_machine: z.string().regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+$/),
});

export const DeployConfigSchema = z.object({
  environment: z.enum(['development', 'production']),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
  account: z.string().regex(/^\d{12}$/),
  cluster: z.string().min(1),
  public_url: z.string().url(),
  common_vars: z.record(z.string(), z.string()),
  services: z.record(z.string(), ServiceConfig),
  /** Absent (or without a state machine) in a configuration published before the pre-deploy
   * state machine: `migrate` then refuses (terraform apply first). */
  migrate: z.unknown().optional(),
});
export type DeployConfig = z.infer<typeof DeployConfigSchema>;

/**
 * What pushing images needs: enough to check the target and name the repositories. At
 * bootstrap the repositories exist before the rest (and before the SSM parameter), so
 * the first push can run from a hand-written file of just these fields.
 */
export const PushConfigSchema = DeployConfigSchema.pick({ environment: true, region: true, account: true }).extend({
  services: z.record(z.string(), z.object({ repository: z.string().min(1) })),
});
export type PushConfig = z.infer<typeof PushConfigSchema>;

export const parameterName = (environment: string) => `/monkeytown-${environment}/deploy-config`;

export function parseDeployConfig(text: string, source: string): DeployConfig;
export function parseDeployConfig<S extends z.ZodType>(text: string, source: string, schema: S): z.infer<S>;
export function parseDeployConfig(text: string, source: string, schema: z.ZodType = DeployConfigSchema): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new DeployError(`${source} is not JSON: ${(err as Error).message}`, 2);
  }
  // `terraform output -json` wraps every output as {value, type, sensitive}.
  const wrapped = raw as { deploy_config?: { value?: unknown } } | null;
  if (wrapped && typeof wrapped === 'object' && wrapped.deploy_config && 'value' in wrapped.deploy_config) raw = wrapped.deploy_config.value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DeployError(`${source} is not a Monkeytown deploy configuration:\n  ${lines.join('\n  ')}`, 2);
  }
  return parsed.data;
}

export async function readDeployConfig(file: string): Promise<DeployConfig>;
export async function readDeployConfig<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>>;
export async function readDeployConfig(file: string, schema: z.ZodType = DeployConfigSchema): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DeployError(`cannot read deploy configuration ${file}: ${(err as Error).message}`, 2);
  }
  return parseDeployConfig(text, file, schema);
}

/** The configuration from SSM, in the region the client is configured for. */
export async function fetchDeployConfig(ssm: SSMClient, environment: string, region: string): Promise<DeployConfig> {
  const name = parameterName(environment);
  try {
    const res = await ssm.send(new GetParameterCommand({ Name: name }));
    return parseDeployConfig(res.Parameter?.Value ?? '', `SSM ${name}`);
  } catch (err) {
    if (isAwsError(err, 'ParameterNotFound')) {
      throw new DeployError(`no deploy configuration ${name} in ${region}: wrong region (--region / AWS_REGION / profile), or terraform apply has not run for ${environment}`, 2);
    }
    return aws(`ssm:GetParameter ${name}`, () => Promise.reject(err));
  }
}

/**
 * Refuses to act on another region or account than the one Terraform deployed this
 * environment to: a profile pointing elsewhere would push images or roll services
 * where nothing (or something else) runs.
 */
export function assertTarget(config: PushConfig, actual: { region: string; account?: string }): void {
  if (actual.region !== config.region) {
    throw new DeployError(
      `region mismatch: Terraform deployed ${config.environment} to ${config.region}, but the AWS client is set to ${actual.region} (--region / AWS_REGION / profile). Refusing.`,
      2,
    );
  }
  if (actual.account && actual.account !== config.account) {
    throw new DeployError(`account mismatch: ${config.environment} lives in account ${config.account}, these credentials are for ${actual.account}. Refusing.`, 2);
  }
}

export function serviceConfig(config: DeployConfig, service: string) {
  const svc = config.services[service];
  if (!svc) throw new DeployError(`service ${service} is not in the ${config.environment} deploy configuration (${Object.keys(config.services).join(', ')})`, 2);
  return svc;
}

export function migrateConfig(config: DeployConfig): z.infer<typeof MigrateConfig> {
  const parsed = MigrateConfig.safeParse(config.migrate);
  if (!parsed.success) {
    throw new DeployError(`the ${config.environment} deploy configuration names no pre-deploy state machine (published before it existed): terraform apply first`, 2);
  }
  return parsed.data;
}

/** Placeholder values for one service's task definition (IMAGE comes from the rollout). */
export function varsFor(config: DeployConfig, service: string): Record<string, string> {
  return { ...config.common_vars, ...serviceConfig(config, service).vars };
}
