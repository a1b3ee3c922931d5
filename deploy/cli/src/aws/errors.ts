/**
 * Turns AWS SDK failures into messages an operator can act on. The SDK already
 * retries throttling with backoff; when it still fails we say so plainly
 * instead of printing a stack trace.
 */

export class DeployError extends Error {
  override name = 'DeployError';
  constructor(
    message: string,
    /** Process exit code: 1 rollout failed, 2 usage/input, 3 AWS refused or unavailable. */
    readonly exitCode: number = 1,
  ) {
    super(message);
  }
}

interface AwsErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number; requestId?: string };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
  'SlowDown',
]);

const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);

function shape(err: unknown): AwsErrorShape {
  return typeof err === 'object' && err !== null ? (err as AwsErrorShape) : { message: String(err) };
}

export function isAwsError(err: unknown, ...names: string[]): boolean {
  const e = shape(err);
  return names.includes(e.name ?? '') || names.includes(e.Code ?? '');
}

/** `operation` reads like "ecs:UpdateService on service web". */
export function explainAwsError(err: unknown, operation: string): DeployError {
  if (err instanceof DeployError) return err;
  const e = shape(err);
  const name = e.name ?? e.Code ?? 'Error';
  const detail = e.message ? `: ${e.message}` : '';
  const attempts = e.$metadata?.attempts;
  const request = e.$metadata?.requestId ? ` (request id ${e.$metadata.requestId})` : '';

  if (THROTTLING.has(name) || e.$metadata?.httpStatusCode === 429) {
    return new DeployError(
      `AWS throttled ${operation} (${name})${attempts ? ` after ${attempts} attempts` : ''}. ` +
        `Too many API calls in this account/region right now: wait a minute and rerun, ` +
        `or raise AWS_MAX_ATTEMPTS${request}.`,
      3,
    );
  }
  if (ACCESS_DENIED.has(name) || e.$metadata?.httpStatusCode === 403) {
    const expired = name.startsWith('ExpiredToken');
    return new DeployError(
      expired
        ? `AWS credentials have expired while calling ${operation}: refresh them (aws sso login / new session) and rerun${request}.`
        : `Access denied for ${operation} (${name})${detail}. The deploying identity needs that ` +
            `permission: see "Deploy permissions" in docs/operations.md${request}.`,
      3,
    );
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return new DeployError(
      `No AWS credentials found for ${operation}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run inside a role).`,
      3,
    );
  }
  if (/Region is missing/i.test(e.message ?? '')) {
    return new DeployError(`No AWS region for ${operation}: pass --region or set AWS_REGION.`, 2);
  }
  return new DeployError(`${operation} failed (${name})${detail}${request}`, 3);
}

/** Run one AWS call and translate its failure. */
export async function aws<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw explainAwsError(err, operation);
  }
}
