// Issue 17: the numbers of a planned stop are set in four places (Terraform's target
// groups, the ECS task definitions, nginx, the services' own defaults) and must agree:
//   game-server (drains from SIGTERM, which ECS sends when the deregistration delay ends):
//     ALB deregistration delay < DRAIN_SECONDS < stopTimeout,
//   event-stream (issue 25: drains from the moment ECS wants the task stopped, seen in the
//   task metadata within ECS_STOP_POLL_MS, because the ALB cuts its WebSockets when the
//   deregistration delay ends): poll + DRAIN_SECONDS < ALB deregistration delay,
//   drain + the service's close grace + the forced-exit margin <= stopTimeout,
//   ALB health-check detection (interval x unhealthy threshold) <= drain,
//   nginx retries failed upstreams for idempotent requests only,
// and docs/operations.md quotes the same numbers. (Only the shutdown grace is read from
// the task definitions' environment; the rest of it holds deploy-time placeholders.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/stack/index.mjs';
import { drainMsFromEnv, MAX_DRAIN_SECONDS } from '../../server/src/process/drain.js';
import { loadConfig } from '../../server/src/config/index.js';
import { loadEventStreamConfig } from '../../server/src/event-stream/config.js';
import { ECS_STOP_POLL_MS } from '../../server/src/process/ecs-stop.js';

const read = (p: string) => readFileSync(path.join(REPO_ROOT, p), 'utf8');
/** lifecycle.ts: a close that outlasts its grace by this much is ended with exit 1. */
const FORCE_MARGIN_S = 5;

/** The `name = { … }` block of a service in locals.tf (blocks there hold no nested braces). */
function tfService(name: string): string {
  const tf = read('infrastructure/terraform/locals.tf');
  const start = tf.search(new RegExp(`\\n\\s*${name}\\s*=\\s*\\{`));
  expect(start, `service ${name} in locals.tf`).toBeGreaterThan(-1);
  return tf.slice(start, tf.indexOf('}', start));
}
const tfNumber = (block: string, key: string) => {
  const m = new RegExp(`\\b${key}\\s*=\\s*(\\d+)`).exec(block);
  expect(m, key).not.toBeNull();
  return Number(m![1]);
};

interface Container {
  stopTimeout?: number;
  environment?: Array<{ name: string; value: string }>;
}
const container = (file: string) => (JSON.parse(read(`task-definitions/${file}`)) as { containerDefinitions: Container[] }).containerDefinitions[0]!;
const envOf = (c: Container) => Object.fromEntries((c.environment ?? []).map((e) => [e.name, e.value]));

const albHealth = read('infrastructure/terraform/alb.tf');
const detectS = tfNumber(albHealth, 'interval') * tfNumber(albHealth, 'unhealthy_threshold');

const services = [
  {
    name: 'game-server',
    taskdef: 'server.json',
    drainsFrom: 'signal' as const,
    graceMs: (env: Record<string, string>) => loadConfig({ SHUTDOWN_GRACE_MS: env.SHUTDOWN_GRACE_MS, NODE_ENV: 'test' }).shutdownGraceMs,
  },
  {
    name: 'event-stream',
    taskdef: 'event-stream.json',
    drainsFrom: 'deregistration' as const,
    graceMs: (env: Record<string, string>) => loadEventStreamConfig({ SHUTDOWN_GRACE_MS: env.SHUTDOWN_GRACE_MS, NODE_ENV: 'test' }).shutdownGraceMs,
  },
];

describe('drain numbers agree across Terraform, task definitions, nginx and the services', () => {
  const rows = services.map((s) => {
    const c = container(s.taskdef);
    const env = envOf(c);
    return {
      ...s,
      dereg: tfNumber(tfService(s.name), 'deregistration_delay'),
      drain: drainMsFromEnv(env) / 1000,
      grace: s.graceMs(env) / 1000,
      stop: c.stopTimeout ?? 30, // ECS's default when unset
      setsDrain: 'DRAIN_SECONDS' in env,
    };
  });
  console.log(
    '[numbers] ' +
      rows
        .map((r) =>
          r.drainsFrom === 'signal'
            ? `${r.name}: deregistration ${r.dereg} s < drain ${r.drain} s (+ close ${r.grace} s + ${FORCE_MARGIN_S} s) <= stopTimeout ${r.stop} s`
            : `${r.name}: poll ${ECS_STOP_POLL_MS / 1000} s + drain ${r.drain} s < deregistration ${r.dereg} s; drain + close ${r.grace} s + ${FORCE_MARGIN_S} s <= stopTimeout ${r.stop} s`,
        )
        .join('; ') +
      `; ALB detects an unready target in ${detectS} s`,
  );

  it.each(rows)('$name: the drain fits the deregistration delay and stopTimeout', (r) => {
    expect(r.setsDrain, 'the task definition sets DRAIN_SECONDS (the code default is 0)').toBe(true);
    if (r.drainsFrom === 'signal') {
      // SIGTERM comes when the deregistration delay is over: keep answering past it.
      expect(r.dereg).toBeLessThan(r.drain);
    } else {
      // Every socket told 1012 before the ALB would cut it (then SIGTERM finds it closing).
      expect(ECS_STOP_POLL_MS / 1000 + r.drain).toBeLessThan(r.dereg);
    }
    expect(r.drain).toBeLessThan(r.stop);
    // ECS must never SIGKILL a process that is closing within its own limits.
    expect(r.drain + r.grace + FORCE_MARGIN_S).toBeLessThanOrEqual(r.stop);
    expect(r.stop).toBeLessThanOrEqual(MAX_DRAIN_SECONDS); // Fargate's stopTimeout maximum
    // A target still registered at SIGTERM is seen unready by the ALB before the drain ends.
    expect(detectS).toBeLessThanOrEqual(r.drain);
  });

  it('nginx retries another replica for failed idempotent requests, never a sent POST', () => {
    const nginx = read('deploy/docker/nginx.conf');
    for (const loc of ['/api/', '/ws']) {
      const start = nginx.indexOf(`location ${loc} {`);
      const block = nginx.slice(start, nginx.indexOf('}', start));
      const rule = /proxy_next_upstream ([^;]+);/.exec(block)?.[1] ?? '';
      expect(rule.split(/\s+/), loc).toEqual(expect.arrayContaining(['error', 'timeout', 'http_502', 'http_503']));
      expect(rule).not.toContain('non_idempotent');
    }
  });

  it('docs/operations.md quotes the same numbers', () => {
    const docs = read('docs/operations.md');
    const start = docs.indexOf('## During a deploy');
    expect(start, 'a "During a deploy" section').toBeGreaterThan(-1);
    const section = docs.slice(start, docs.indexOf('\n## ', start + 5));
    for (const r of rows) {
      const line = section.split('\n').find((l) => l.includes(`| ${r.name} |`));
      expect(line, `a table row for ${r.name}`).toBeDefined();
      const cells = line!.split('|').map((c) => c.trim()).filter(Boolean);
      expect(cells.slice(1, 4).map((c) => Number.parseFloat(c)), `${r.name}: deregistration, drain, stopTimeout`).toEqual([r.dereg, r.drain, r.stop]);
    }
  });
});
