// `nginx -t` on the shipped deploy/docker/nginx.conf with only what exists inside Docker
// substituted (compose service names, Docker's DNS resolver, the trusted-proxies mount),
// plus the routing rules ERRATA 7-10 and issue 13 ask for, read from the file itself.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/stack/index.mjs';
import { substituteUpstreams, TRUSTED_PROXIES_FILE } from '../../scripts/stack/nginx.mjs';
import { findNginx } from '../../scripts/stack/tools.mjs';
import { prerequisites } from './support.js';

const shipped = readFileSync(path.join(REPO_ROOT, 'deploy/docker/nginx.conf'), 'utf8');
const nginx = findNginx();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'mt-nginx-t-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** nginx -t; stdout goes to a file because the config logs to /dev/stdout, which a
 * socket (what spawnSync pipes are) cannot be opened as. */
function nginxTest(conf: string) {
  const out = openSync(path.join(tmp, 'stdout.log'), 'w');
  try {
    return spawnSync(nginx!, ['-t', '-p', `${tmp}/`, '-c', conf, '-g', `pid ${tmp}/nginx.pid;`], {
      encoding: 'utf8', stdio: ['ignore', out, 'pipe'],
    });
  } finally {
    closeSync(out);
  }
}

/** The block of `location <spec> {` … matching `}` (no nested blocks in ours). */
function location(spec: string): string {
  const start = shipped.indexOf(`location ${spec} {`);
  expect(start, `location ${spec}`).toBeGreaterThan(-1);
  return shipped.slice(start, shipped.indexOf('}', start));
}

describe('shipped nginx.conf (static)', () => {
  it('substitution changes only the three upstream addresses, the resolver and the trusted-proxies path', () => {
    const out = substituteUpstreams(shipped, {
      web: '127.0.0.1:1', game_server: '127.0.0.1:2', event_stream: '127.0.0.1:3',
    }, '/repo/trusted-proxies.conf');
    const before = shipped.split('\n');
    const after = out.split('\n');
    expect(after.length).toBe(before.length);
    const changed = before.map((l, i) => [l!.trim(), after[i]!.trim()]).filter(([a, b]) => a !== b);
    expect(changed).toEqual([
      ['include /etc/nginx/trusted-proxies.conf;', 'include /repo/trusted-proxies.conf;'],
      ['resolver 127.0.0.11 valid=10s ipv6=off;', '# scripts/stack: loopback upstreams, no resolver'],
      ['set $web_upstream web:3000;', 'set $web_upstream 127.0.0.1:1;'],
      ['set $game_server_upstream game-server:3001;', 'set $game_server_upstream 127.0.0.1:2;'],
      ['set $event_stream_upstream event-stream:8080;', 'set $event_stream_upstream 127.0.0.1:3;'],
    ]);
    // Names would need the resolver the stack removes.
    expect(() => substituteUpstreams(shipped, { web: 'localhost:1', game_server: '127.0.0.1:2', event_stream: '127.0.0.1:3' }))
      .toThrow(/not ip:port/);
  });

  it('routes /, /_next/static/, /api/, /ws and answers /health itself', () => {
    expect(location('/')).toContain('proxy_pass http://$web_upstream;');
    const assets = location('/_next/static/');
    expect(assets).toContain('proxy_pass http://$web_upstream;');
    expect(assets).toContain('proxy_cache next_static;');
    expect(assets).not.toContain('alias'); // ERRATA 7
    expect(location('/api/')).toContain('proxy_pass http://$game_server_upstream;');
    const ws = location('/ws');
    expect(ws).toContain('proxy_pass http://$event_stream_upstream;');
    expect(ws).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(ws).toMatch(/proxy_read_timeout 1h;/);
    expect(location('= /health')).toMatch(/return 200/);
  });

  it("sends Connection: upgrade only from the map, never unconditionally (ERRATA 8)", () => {
    expect(shipped).toMatch(/map \$http_upgrade \$connection_upgrade \{[^}]*default\s+upgrade;[^}]*''\s+close;/);
    expect(shipped).not.toMatch(/Connection\s+['"]?upgrade['"]?;/i);
  });

  it('limits bodies and rates per real client IP (ERRATA 9-10)', () => {
    expect(shipped).toMatch(/client_max_body_size \d+[km];/);
    expect(shipped).toMatch(/limit_req_zone \$binary_remote_addr zone=api/);
    expect(shipped).toMatch(/real_ip_header X-Forwarded-For;/);
    expect(location('/api/')).toMatch(/limit_req zone=api/);
  });

  it('believes X-Forwarded-For only from the listed proxies, by default loopback alone (issue 13)', () => {
    // Not in nginx.conf itself: a private range there let anyone behind Docker's port
    // proxy (which connects from the network gateway) choose its own address.
    expect(shipped).not.toMatch(/^\s*set_real_ip_from/m);
    expect(shipped).toContain('include /etc/nginx/trusted-proxies.conf;');
    const trusted = readFileSync(TRUSTED_PROXIES_FILE, 'utf8').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(trusted).toEqual(['set_real_ip_from 127.0.0.1;']);
  });

  it('finds replaced containers (resolver + variables) and answers /api failures fast, in JSON (issue 13)', () => {
    expect(shipped).toMatch(/resolver 127\.0\.0\.11 valid=10s/);
    expect(shipped).not.toMatch(/^\s*upstream\s/m); // upstream blocks resolve once, at start
    expect(shipped).not.toMatch(/proxy_pass http:\/\/[a-z]/); // every proxy_pass goes through a variable
    expect(shipped).not.toMatch(/^\s*worker_rlimit_nofile/m);
    const api = location('/api/');
    expect(api).toMatch(/proxy_connect_timeout [1-5]s;/);
    expect(api).toMatch(/proxy_read_timeout (1[0-9]|20)s;/);
    for (const [status, named] of [[502, '@api_bad_gateway'], [503, '@api_unavailable'], [504, '@api_timeout']] as const) {
      expect(api).toContain(`error_page ${status} = ${named};`);
      const body = new RegExp(`location ${named} \\{[^']*return (\\d+) '(.*)';`).exec(shipped)!;
      expect(Number(body[1])).toBe(status);
      expect(JSON.parse(body[2]!)).toMatchObject({ error: { code: 'unavailable' } });
    }
  });
});

// The shipped file uses the image's absolute paths (/var/cache/nginx, /var/log/nginx):
// checking it as is needs root, as in CI and in the container.
const runnable = prerequisites('nginx -t', [
  ...(nginx ? [] : ['nginx']),
  ...(process.getuid?.() === 0 ? [] : ['root (the config uses the image paths)']),
]);
describe.runIf(runnable)('nginx -t', () => {
  it('accepts the shipped config with only the upstreams substituted', () => {
    const conf = path.join(tmp, 'nginx.conf');
    writeFileSync(conf, substituteUpstreams(shipped, {
      web: '127.0.0.1:3000', game_server: '127.0.0.1:3001', event_stream: '127.0.0.1:8080',
    }));
    // The official nginx image has /var/cache/nginx; Debian's package does not.
    mkdirSync('/var/cache/nginx', { recursive: true });
    const r = nginxTest(conf);
    expect(r.stderr).toContain('test is successful');
    expect(r.status).toBe(0);
  });

  it('rejects a broken config (the check is real)', () => {
    const conf = path.join(tmp, 'broken.conf');
    writeFileSync(conf, substituteUpstreams(shipped, {
      web: '127.0.0.1:3000', game_server: '127.0.0.1:3001', event_stream: '127.0.0.1:8080',
    }).replace('proxy_cache next_static;', 'proxy_cache no_such_zone;'));
    const r = nginxTest(conf);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/no_such_zone/);
  });
});
