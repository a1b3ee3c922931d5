// docker-compose.yml: valid against the Compose Specification JSON schema (the copy
// shipped by dclint), and consistent with the spec's port table, the Dockerfiles,
// nginx.conf and .env.example. Static and fast; compose-up.test.ts runs the file on a
// real engine.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/stack/index.mjs';
import { parseDockerfile, stageWorkdir } from './dockerfile.js';

const require = createRequire(import.meta.url);
const schemaFile = path.join(path.dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json');
const at = (p: string) => path.join(REPO_ROOT, p);

type Service = {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  init?: boolean;
};
const raw = readFileSync(at('docker-compose.yml'), 'utf8');
const compose = parse(raw, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;

function validator() {
  // The file names draft-07 by its https URL, which ajv registers under http: drop the
  // $schema line (ajv's default dialect is draft-07).
  const { $schema: _dialect, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

// The spec's "Service Ports" table: service -> [container port, host port].
const PORT_TABLE: Record<string, [number, number]> = {
  web: [3000, 3000],
  'game-server': [3001, 3001],
  'event-stream': [8080, 8080],
  redis: [6379, 6379],
  postgres: [5432, 5432],
  nginx: [80, 80],
  'redis-commander': [8081, 8082],
};

/** "127.0.0.1:3000:3000" | "80:80" -> {host, container}. */
function parsePort(spec: string) {
  const parts = spec.split(':');
  return { host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
}

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification schema', () => {
    const validate = validator();
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check bites: a malformed service is rejected', () => {
    const validate = validator();
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services.web!.depends_on = { 'game-server': { condition: 'when_it_feels_like_it' } };
    broken.services.redis!.healthcheck = { test: ['CMD', 'redis-cli', 'ping'], intervall: '5s' };
    expect(validate(broken)).toBe(false);
  });

  it('has exactly the seven services of the spec, each on the spec table ports', () => {
    expect(Object.keys(services).sort()).toEqual(Object.keys(PORT_TABLE).sort());
    for (const [name, [container, host]] of Object.entries(PORT_TABLE)) {
      const ports = (services[name]!.ports ?? []).map(parsePort);
      expect(ports, name).toContainEqual({ host, container });
    }
  });

  it('every service has a healthcheck, an init process and known depends_on targets on health', () => {
    for (const [name, svc] of Object.entries(services)) {
      expect(svc.healthcheck?.test?.length, `${name} healthcheck`).toBeGreaterThan(0);
      expect(svc.init, `${name} init`).toBe(true);
      for (const [target, dep] of Object.entries(svc.depends_on ?? {})) {
        expect(Object.keys(services), `${name} depends_on ${target}`).toContain(target);
        expect(dep.condition, `${name} -> ${target}`).toBe('service_healthy');
      }
    }
    // Migrations run in the game-server before it reports ready: whoever needs the API
    // waits for that, and the game-server waits for its data stores.
    expect(Object.keys(services['game-server']!.depends_on ?? {}).sort()).toEqual(['postgres', 'redis']);
    expect(Object.keys(services.nginx!.depends_on ?? {}).sort()).toEqual(['event-stream', 'game-server', 'web']);
  });

  it('node healthchecks probe the port the service listens on', () => {
    for (const name of ['web', 'game-server', 'event-stream']) {
      const svc = services[name]!;
      const [container] = PORT_TABLE[name]!;
      expect(svc.environment?.PORT, name).toBe(String(container));
      expect(svc.healthcheck!.test.join(' '), name).toContain(`http://127.0.0.1:${container}/`);
    }
    expect(services['game-server']!.healthcheck!.test.join(' ')).toContain('/health/ready');
    expect(services['event-stream']!.healthcheck!.test.join(' ')).toContain('/health/ready');
  });

  it('game-server and event-stream share the server image but run different entry points', () => {
    const gs = services['game-server']!;
    const es = services['event-stream']!;
    expect(gs.build).toEqual(es.build);
    expect(gs.image).toBe(es.image);
    expect(es.command).toBeDefined();
    expect(es.command).not.toEqual(gs.command);
    // The game-server's command is the image's default CMD; both run from its WORKDIR.
    const final = parseDockerfile(readFileSync(at(gs.build!.dockerfile), 'utf8')).at(-1)!;
    expect(gs.command).toEqual(final.cmd);
    expect(stageWorkdir(final)).toBe('/app/server');
    expect(es.command).toEqual(['node', 'dist/event-stream.js']);
  });

  it('builds, mounts and volumes point at things that exist', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (svc.build) expect(existsSync(at(svc.build.dockerfile)), `${name} dockerfile`).toBe(true);
      for (const v of svc.volumes ?? []) {
        // `${VAR:-./default}:/target:ro` mounts the default unless .env names another file.
        const source = /^\$\{[A-Z_]+:-([^}]+)\}/.exec(v)?.[1] ?? v.split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(at(source)), `${name} mount ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name} volume ${source}`).toContain(source);
      }
    }
  });

  it("each Dockerfile copies every workspace's package.json before npm ci (the lock check needs them all)", () => {
    const workspaces = (JSON.parse(readFileSync(at('package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    for (const file of ['deploy/docker/Dockerfile.server', 'deploy/docker/Dockerfile.web']) {
      const copied = parseDockerfile(readFileSync(at(file), 'utf8'))
        .flatMap((s) => s.steps)
        .flatMap((step) => (step.kind === 'COPY' && !step.from ? step.sources : []));
      for (const ws of workspaces) expect(copied, `${file}: ${ws}/package.json`).toContain(`${ws}/package.json`);
      expect(copied, file).toContain('package-lock.json');
    }
  });

  it("nginx.conf's upstreams are compose services on their container ports", () => {
    const conf = readFileSync(at('deploy/docker/nginx.conf'), 'utf8');
    const upstreams = [...conf.matchAll(/^\s*set \$[a-z_]+_upstream\s+([a-z-]+):(\d+);/gm)].map((m) => [m[1], Number(m[2])]);
    expect(upstreams.map(([s]) => s).sort()).toEqual(['event-stream', 'game-server', 'web']);
    for (const [service, port] of upstreams) expect(PORT_TABLE[service as string]![0]).toBe(port);
  });

  it('secrets come from .env (no inline values) and .env.example defines every required one', () => {
    const example = Object.fromEntries(
      readFileSync(at('.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const refs = [...raw.matchAll(/\$\{([A-Z_]+)(:?[-?])?[^}]*\}/g)].map((m) => ({ name: m[1]!, required: m[2]?.endsWith('?') ?? true }));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs.filter((r) => r.required)) expect(Object.keys(example), ref.name).toContain(ref.name);
    expect(services['game-server']!.environment!.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?/);
    expect(services['event-stream']!.environment!.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?/);
    expect(services.postgres!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(services['game-server']!.environment!.DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
  });
});
