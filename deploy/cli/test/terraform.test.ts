import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TASK_DEFS, TERRAFORM_DIR } from './helpers.js';
import { localBackendCopy, PLUGIN_DIR, run, terraformEnv, toolAvailable } from './tools.js';

const hasTerraform = toolAvailable('terraform');

function tf(...args: string[]) {
  const r = run('terraform', [...args, '-no-color'], { cwd: TERRAFORM_DIR, env: terraformEnv(), timeout: 240_000 });
  return { ...r, output: `${r.stdout}\n${r.stderr}` };
}

describe.skipIf(!hasTerraform)('terraform (offline, real AWS provider schema)', () => {
  beforeAll(() => {
    const init = tf('init', '-backend=false', '-input=false', `-plugin-dir=${PLUGIN_DIR}`);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  }, 240_000);

  it('is formatted (terraform fmt -check)', () => {
    const r = tf('fmt', '-check', '-recursive', '-diff');
    expect(r.status, r.output).toBe(0);
  }, 240_000);

  it('validates', () => {
    const r = tf('validate');
    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toMatch(/The configuration is valid/);
  }, 240_000);

  // The two files assert opposite layouts (2 NATs vs 1, Multi-AZ vs single-AZ, 2 Redis
  // nodes vs 1), so each run would fail on the other's variables: the assertions bite.
  it.each(['production', 'development'])('terraform test passes for the %s variable set', (env) => {
    const r = tf('test', `-var-file=environments/${env}.tfvars`, `-filter=tests/${env}.tftest.hcl`);
    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toMatch(/Success! [1-9]\d* passed, 0 failed/);
  }, 240_000);

  // Issue 14's properties, asserted for each environment by one file.
  it.each(['production', 'development'])('day-two properties hold for the %s variable set', (env) => {
    const r = tf('test', `-var-file=environments/${env}.tfvars`, '-filter=tests/day-two.tftest.hcl');
    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toMatch(/Success! 4 passed, 0 failed/);
  }, 240_000);

  // Issue 25's properties (traffic inside the VPC, deployment alarms and drain budget, pool settings, the WAF alarm), likewise.
  it.each(['production', 'development'])('day-three properties hold for the %s variable set', (env) => {
    const r = tf('test', `-var-file=environments/${env}.tfvars`, '-filter=tests/day-three.tftest.hcl');
    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toMatch(/Success! 7 passed, 0 failed/);
  }, 240_000);

  // Issue 25's pre-deploy task, the master secret's IAM split and the state machine that
  // alone may pass the pre-deploy roles, likewise.
  it.each(['production', 'development'])('the pre-deploy task alone reads the master secret, for the %s variable set', (env) => {
    const r = tf('test', `-var-file=environments/${env}.tfvars`, '-filter=tests/pre-deploy.tftest.hcl');
    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toMatch(/Success! 4 passed, 0 failed/);
  }, 240_000);

  // A fresh apply must not start tasks before what they need exists (issue 14, 4):
  // the ECS services depend on the secret versions, IAM policies, SG rules and the
  // network module (NAT routes, endpoints) in Terraform's own graph.
  it('ECS services wait for secrets, IAM, security group rules and the network', () => {
    const { dir, tmp } = localBackendCopy(TERRAFORM_DIR, TASK_DEFS);
    let r;
    try {
      r = run('terraform', ['graph', '-no-color'], { cwd: dir, env: terraformEnv() });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    expect(r.status, r.stderr).toBe(0);
    const edges = [...r.stdout.matchAll(/"([^"]+)" -> "([^"]+)"/g)].map((m) => [m[1], m[2]]);
    // Everything the services wait for, directly or through another resource: `terraform
    // graph` prints a transitive reduction (an edge implied by a longer path is left out,
    // e.g. the S3 endpoint once web's egress rule to its prefix list sits between).
    const deps = new Set<string>();
    const todo = ['aws_ecs_service.service'];
    while (todo.length) {
      const from = todo.pop();
      for (const [f, to] of edges) {
        if (f !== from || !to || deps.has(to)) continue;
        deps.add(to);
        todo.push(to);
      }
    }
    expect(deps.size, r.stdout.slice(0, 2000)).toBeGreaterThan(0);
    for (const need of [
      'aws_secretsmanager_secret_version.redis',
      'aws_secretsmanager_secret_version.session',
      'aws_iam_role_policy.execution',
      'aws_iam_role_policy.task_db_connect',
      // The first apply's pre-deploy task (app role + schema) and everything it needs.
      'terraform_data.bootstrap_pre_deploy',
      'aws_sfn_state_machine.pre_deploy',
      'aws_iam_role_policy.pre_deploy_sfn',
      'aws_iam_role_policy.migrate_execution',
      'aws_vpc_security_group_ingress_rule.database_from_migrate',
      'aws_vpc_security_group_egress_rule.service_https',
      'aws_vpc_security_group_egress_rule.web_to_endpoints',
      'aws_vpc_security_group_egress_rule.web_to_s3',
      'aws_vpc_security_group_egress_rule.web_to_game_server',
      'aws_vpc_security_group_ingress_rule.game_server_from_web',
      'aws_vpc_security_group_egress_rule.game_server_to_db',
      'aws_vpc_security_group_ingress_rule.database_from_game_server',
      'aws_vpc_security_group_ingress_rule.redis_from_service',
      'aws_vpc_security_group_ingress_rule.service_from_alb',
      'module.network.aws_route.private_nat',
      'module.network.aws_vpc_endpoint.interface',
      'module.network.aws_vpc_endpoint.s3',
    ]) {
      expect(deps, need).toContain(need);
    }
  }, 240_000);
});

describe('environments', () => {
  it.each(['production', 'development'])('%s: the state bucket is in the deployment region', (env) => {
    const region = (f: string) => /^\s*(?:aws_)?region\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(TERRAFORM_DIR, 'environments', f), 'utf8'))?.[1];
    expect(region(`${env}.s3.tfbackend`)).toBeDefined();
    expect(region(`${env}.s3.tfbackend`)).toBe(region(`${env}.tfvars`));
  });
});

/** Top-level blocks of an HCL file as {type, labels, body} (enough for variables and resources). */
function blocks(src: string): { type: string; labels: string[]; body: string }[] {
  const out: { type: string; labels: string[]; body: string }[] = [];
  const head = /^(\w+)((?:\s+"[^"]*")*)\s*\{/gm;
  for (let m = head.exec(src); m; m = head.exec(src)) {
    let depth = 1;
    let i = head.lastIndex;
    for (; i < src.length && depth > 0; i++) {
      if (src[i] === '{') depth++;
      else if (src[i] === '}') depth--;
    }
    out.push({ type: m[1] as string, labels: [...(m[2] ?? '').matchAll(/"([^"]*)"/g)].map((x) => x[1] as string), body: src.slice(head.lastIndex, i - 1) });
    head.lastIndex = i;
  }
  return out;
}

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('.') || e.name === 'tests' ? [] : tfFiles(p);
    return e.name.endsWith('.tf') || e.name.endsWith('.tfvars') ? [p] : [];
  });
}

describe('no plaintext secrets in the Terraform configuration', () => {
  const files = tfFiles(TERRAFORM_DIR).map((f) => ({ f: path.relative(TERRAFORM_DIR, f), src: readFileSync(f, 'utf8') }));
  const SECRETISH = /pass(word)?|secret|token|private_key|api_key/i;

  it('reads every .tf and .tfvars file (sanity)', () => {
    expect(files.map((x) => x.f)).toEqual(expect.arrayContaining(['variables.tf', 'redis.tf', 'rds.tf', 'secrets.tf', 'environments/production.tfvars']));
  });

  it('no secret-like variable has a string default', () => {
    const vars = files.flatMap(({ f, src }) => blocks(src).filter((b) => b.type === 'variable').map((b) => ({ f, name: b.labels[0] ?? '', body: b.body })));
    expect(vars.length).toBeGreaterThan(10);
    // A number such as db_password_rotation_days is not a secret; a string default would be.
    const offenders = vars.filter((v) => SECRETISH.test(v.name) && /^\s*default\s*=\s*"/m.test(v.body));
    expect(offenders.map((v) => `${v.f}: ${v.name}`)).toEqual([]);
  });

  it('no resource argument or tfvars value is a literal secret', () => {
    const literal = /^\s*(\w*(?:password|secret_string|auth_token|secret|token)\w*)\s*=\s*"([^"$]*)"/gim;
    const offenders = files.flatMap(({ f, src }) =>
      [...src.matchAll(literal)]
        // Names and descriptions of secrets are fine; their values are not.
        .filter((m) => !/(_name|_version|description|_arn|_id)$/i.test(m[1] as string))
        .map((m) => `${f}: ${(m[0] as string).trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the scan would catch a plaintext password (the check can fail)', () => {
    const bad = 'variable "rds_password" {\n  type    = string\n  default = "dev-password"\n}\nresource "x" "y" {\n  password = "hunter2"\n}\n';
    const vars = blocks(bad).filter((b) => b.type === 'variable' && SECRETISH.test(b.labels[0] ?? '') && /^\s*default\s*=\s*"/m.test(b.body));
    expect(vars).toHaveLength(1);
    expect([...bad.matchAll(/^\s*(\w*(?:password|secret_string|auth_token|secret|token)\w*)\s*=\s*"([^"$]*)"/gim)]).toHaveLength(1);
  });
});
