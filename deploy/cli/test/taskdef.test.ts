import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeployError } from '../src/aws/errors.js';
import { parseTaskDefinition, placeholders, renderTaskDefinitionFile, renderTemplate } from '../src/taskdef/render.js';
import { sampleVars, TASK_DEFS } from './helpers.js';

const FILES = { web: 'web.json', 'game-server': 'server.json', 'event-stream': 'event-stream.json' } as const;

describe('task definitions', () => {
  it.each(Object.entries(FILES))('%s renders into a valid Fargate RegisterTaskDefinition input', async (service, file) => {
    const td = await renderTaskDefinitionFile(path.join(TASK_DEFS, file), sampleVars(service));
    // Typed as the SDK's input: this line fails to compile if the schema drifts from the API.
    const input: RegisterTaskDefinitionCommandInput = td;
    expect(input.family).toBe(`monkeytown-production-${service}`);
    expect(input.networkMode).toBe('awsvpc');
    expect(input.requiresCompatibilities).toEqual(['FARGATE']);
    expect(input.runtimePlatform).toEqual({ operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' });
    const c = input.containerDefinitions?.[0];
    expect(c?.name).toBe(service);
    expect(c?.image).toMatch(/^111122223333\.dkr\.ecr\.us-east-1\.amazonaws\.com\/monkeytown-production\/(web|server)@sha256:[0-9a-f]{64}$/);
    expect(c?.linuxParameters?.initProcessEnabled).toBe(true);
    expect(c?.stopTimeout).toBeGreaterThanOrEqual(30);
    expect(c?.healthCheck?.command?.[0]).toBe('CMD');
    expect(c?.logConfiguration?.logDriver).toBe('awslogs');
    expect(c?.logConfiguration?.options?.['awslogs-group']).toBe(`/ecs/monkeytown-production/${service}`);
    for (const s of c?.secrets ?? []) expect(s.valueFrom).toMatch(/^arn:aws:secretsmanager:us-east-1:111122223333:secret:/);
  });

  it('web sets HOSTNAME=0.0.0.0 (ECS would otherwise set the task host name)', async () => {
    const td = await renderTaskDefinitionFile(path.join(TASK_DEFS, 'web.json'), sampleVars('web'));
    expect(td.containerDefinitions[0]?.environment).toContainEqual({ name: 'HOSTNAME', value: '0.0.0.0' });
  });

  it('every placeholder in the files is one Terraform provides (task_definition_vars + IMAGE_TAG)', () => {
    const tfVars = readFileSync(path.join(TASK_DEFS, '../infrastructure/terraform/ecs.tf'), 'utf8');
    const provided = new Set([...tfVars.matchAll(/^\s{6}([A-Z][A-Z0-9_]*)\s+=/gm)].map((m) => m[1]));
    provided.add('IMAGE');
    for (const file of [...Object.values(FILES), 'migrate.json']) {
      const missing = placeholders(readFileSync(path.join(TASK_DEFS, file), 'utf8')).filter((p) => !provided.has(p));
      expect(missing, file).toEqual([]);
    }
  });

  it('names the missing placeholders', () => {
    expect(() => renderTemplate('{"family":"${NAME_PREFIX}-web","image":"${ECR_REGISTRY}/x:${IMAGE_TAG}"}', { NAME_PREFIX: 'a' })).toThrow(
      /placeholders without a value: ECR_REGISTRY, IMAGE_TAG/,
    );
  });

  it('escapes values as JSON string content and leaves shell $VARS alone', () => {
    const out = renderTemplate('{"a":"${X}","b":"$HOME ${lower}"}', { X: 'quote " and \\ backslash' });
    expect(JSON.parse(out)).toEqual({ a: 'quote " and \\ backslash', b: '$HOME ${lower}' });
  });

  it('checks every key and type against the SDK\'s own RegisterTaskDefinition model, at any depth', () => {
    const base = JSON.parse(renderTemplate(readFileSync(path.join(TASK_DEFS, 'event-stream.json'), 'utf8'), sampleVars('event-stream')));
    const deep = structuredClone(base);
    deep.containerDefinitions[0].logConfiguration.option = { mode: 'x' };
    deep.containerDefinitions[0].stopTimeout = '30';
    deep.runtimePlatform.cpuArch = 'ARM64';
    const err = (() => {
      try {
        parseTaskDefinition(JSON.stringify(deep), 'deep');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(err).toMatch(/does not match the ECS RegisterTaskDefinition API model/);
    expect(err).toMatch(/containerDefinitions\.0\.logConfiguration\.option: not a member of LogConfiguration/);
    expect(err).toMatch(/containerDefinitions\.0\.stopTimeout: expected a number, got "30"/);
    expect(err).toMatch(/runtimePlatform\.cpuArch: not a member of RuntimePlatform/);
    // A real API field this project does not use yet passes through untouched.
    const extra = structuredClone(base);
    extra.containerDefinitions[0].dockerLabels = { team: 'monkeys' };
    extra.containerDefinitions[0].systemControls = [{ namespace: 'net.core.somaxconn', value: '1024' }];
    const td = parseTaskDefinition(JSON.stringify(extra), 'extra');
    expect(td.containerDefinitions[0]).toMatchObject({ dockerLabels: { team: 'monkeys' }, systemControls: [{ namespace: 'net.core.somaxconn', value: '1024' }] });
  });

  it('rejects a misspelt key, a bad Fargate size and an invalid enum with the path', () => {
    const base = JSON.parse(renderTemplate(readFileSync(path.join(TASK_DEFS, 'web.json'), 'utf8'), sampleVars('web')));
    const typo = structuredClone(base);
    typo.containerDefinitions[0].portMapping = typo.containerDefinitions[0].portMappings;
    expect(() => parseTaskDefinition(JSON.stringify(typo), 'typo')).toThrow(/containerDefinitions\.0\.portMapping: not a member of ContainerDefinition/);
    const size = { ...base, cpu: '256', memory: '4096' };
    expect(() => parseTaskDefinition(JSON.stringify(size), 'size')).toThrow(/cpu 256 with memory 4096 is not a valid Fargate size/);
    const mode = { ...base, networkMode: 'vpc' };
    expect(() => parseTaskDefinition(JSON.stringify(mode), 'mode')).toThrow(DeployError);
    expect(() => parseTaskDefinition(JSON.stringify(mode), 'mode')).toThrow(/networkMode/);
  });
});

describe('issue 14: the task definitions run safely on day two', () => {
  const render = (service: keyof typeof FILES) => renderTaskDefinitionFile(path.join(TASK_DEFS, FILES[service]), sampleVars(service));

  it('the game-server connects as its own role with IAM tokens and verified TLS; no password anywhere', async () => {
    const td = await render('game-server');
    const app = td.containerDefinitions[0];
    const env = Object.fromEntries((app?.environment ?? []).map((e) => [e.name, e.value]));
    const url = new URL(env.DATABASE_URL as string);
    expect(decodeURIComponent(url.username)).toBe('monkeytown_app');
    expect(url.password).toBe('');
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(url.searchParams.get('sslrootcert')).toBe('/app/server/certs/rds-global-bundle.pem');
    expect(env.DATABASE_AUTH).toBe('iam');
    expect(app?.command).toEqual(['node', 'dist/game-server.js']);
    expect((app?.secrets ?? []).map((x) => x.name).sort()).toEqual(['REDIS_URL', 'SESSION_SECRET']);
    // Issue 25: no container of the game-server's task gets the master credentials any more.
    expect(td.containerDefinitions.map((c) => c.name)).toEqual(['game-server', 'volumes-init']);
    expect(JSON.stringify(td)).not.toMatch(/DB_MASTER|rds!db/);
  });

  it('the pre-deploy task alone gets the master credentials, runs migrate.js from the server image and exits', async () => {
    const td = await renderTaskDefinitionFile(path.join(TASK_DEFS, 'migrate.json'), sampleVars('migrate'));
    const input: RegisterTaskDefinitionCommandInput = td;
    expect(input.family).toBe('monkeytown-production-migrate');
    expect(input.executionRoleArn).toBe('arn:aws:iam::111122223333:role/monkeytown-production-migrate-execution');
    const [c, ...others] = td.containerDefinitions;
    expect(others).toEqual([]);
    expect(c).toMatchObject({ name: 'migrate', essential: true, command: ['node', 'dist/migrate.js'], readonlyRootFilesystem: true });
    expect(c?.image).toMatch(/\/monkeytown-production\/server@sha256:/);
    expect(c?.healthCheck).toBeUndefined(); // a one-off task: its exit code is the verdict
    const env = Object.fromEntries((c?.environment ?? []).map((e) => [e.name, e.value]));
    expect(new URL(env.DATABASE_URL as string).username).toBe('monkeytown_app');
    expect(env.MIGRATION_LOCK_TIMEOUT_MS).toBe('5000');
    expect((c?.secrets ?? []).map((x) => [x.name, x.valueFrom])).toEqual([
      ['DB_MASTER_USERNAME', expect.stringMatching(/secret:rds!db-123-AbCdEf:username::$/)],
      ['DB_MASTER_PASSWORD', expect.stringMatching(/secret:rds!db-123-AbCdEf:password::$/)],
    ]);
  });

  it.each(Object.keys(FILES) as (keyof typeof FILES)[])('%s: read-only root, writable /tmp volume, liveness health check', async (service) => {
    const td = await render(service);
    for (const c of td.containerDefinitions) expect(c.readonlyRootFilesystem, c.name).toBe(true);
    const c = td.containerDefinitions[0];
    const volumes = (td.volumes ?? []).map((v) => v.name);
    for (const m of c?.mountPoints ?? []) expect(volumes).toContain(m.sourceVolume);
    expect((c?.mountPoints ?? []).map((m) => m.containerPath)).toContain('/tmp');
    // Fargate bind mounts start root-owned 0755: a root init container opens exactly these
    // paths for the non-root app user before the app starts.
    const init = td.containerDefinitions.find((x) => x.name === 'volumes-init');
    expect(init).toMatchObject({ essential: false, user: '0', command: ['chmod', '1777', ...(c?.mountPoints ?? []).map((m) => m.containerPath)] });
    expect(c?.dependsOn).toContainEqual({ containerName: 'volumes-init', condition: 'SUCCESS' });
    // Liveness only: a database or Redis failover must not fail every container at once.
    expect(c?.healthCheck?.command.join(' ')).toMatch(service === 'web' ? /:3000\/health'/ : /\/health\/live'/);
  });
});
