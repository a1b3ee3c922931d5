import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { aws } from './errors.js';

export interface Clients {
  ecr: ECRClient;
  ecs: ECSClient;
  sts: STSClient;
  ssm: SSMClient;
  /** Step Functions: the pre-deploy state machine (infrastructure/terraform/pre-deploy-sfn.tf). */
  sfn: SFNClient;
}

/**
 * Region comes from --region, else AWS_REGION / AWS_DEFAULT_REGION / the
 * profile (the SDK's own chain). Account comes from STS. Nothing is
 * hard-coded (ERRATA 22). Retries: the SDK's standard mode with backoff.
 */
export function createClients(region?: string): Clients {
  const config = {
    ...(region ? { region } : {}),
    maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS ?? 5) || 5,
  };
  return { ecr: new ECRClient(config), ecs: new ECSClient(config), sts: new STSClient(config), ssm: new SSMClient(config), sfn: new SFNClient(config) };
}

export async function callerAccount(sts: STSClient): Promise<string> {
  const who = await aws('sts:GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
  if (!who.Account) throw new Error('STS GetCallerIdentity returned no account');
  return who.Account;
}

export async function clientRegion(client: ECRClient | ECSClient | STSClient | SSMClient | SFNClient): Promise<string> {
  const r = client.config.region;
  return typeof r === 'function' ? await r() : r;
}
