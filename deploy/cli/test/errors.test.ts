import { describe, expect, it } from 'vitest';
import { explainAwsError } from '../src/aws/errors.js';
import { awsError } from './helpers.js';

describe('explainAwsError', () => {
  it('missing credentials and region say what to set', () => {
    const creds = explainAwsError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'ecs:DescribeServices web');
    expect(creds.message).toBe('No AWS credentials found for ecs:DescribeServices web: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run inside a role).');
    expect(creds.exitCode).toBe(3);
    const region = explainAwsError(new Error('Region is missing'), 'ecs:DescribeServices web');
    expect(region.message).toMatch(/No AWS region .*: pass --region or set AWS_REGION/);
    expect(region.exitCode).toBe(2);
  });

  it('expired credentials are not reported as a permission problem', () => {
    const e = explainAwsError(awsError('ExpiredTokenException', 'The security token included in the request is expired', 400), 'ecr:GetAuthorizationToken');
    expect(e.message).toMatch(/^AWS credentials have expired while calling ecr:GetAuthorizationToken: refresh them/);
  });

  it('anything else keeps the AWS error name, message and request id', () => {
    const e = explainAwsError(awsError('InvalidParameterException', 'Container.image should not be null or empty.'), 'ecs:RegisterTaskDefinition web');
    expect(e.message).toBe('ecs:RegisterTaskDefinition web failed (InvalidParameterException): Container.image should not be null or empty. (request id req-1)');
  });
});
