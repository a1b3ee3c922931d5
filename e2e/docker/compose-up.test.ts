// `docker compose up` for real (issue 13): a real Docker engine builds both images with
// BuildKit from a copy of the working tree, starts the unchanged docker-compose.yml (plus
// an override for the CI machine's ports only) and is used through nginx like a person
// would: the site, a guest's game against an agent with its events on /ws, restarts and
// replaced containers, data across down + up, and nothing left after down -v.
// Figures (build times, image sizes, time to all healthy) are printed and written to
// e2e/artifacts/docker-figures.json. Without an engine: a printed skip, a failure in CI.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/stack/index.mjs';
import { prerequisites } from '../stack/support.js';
import { apiAt, playGuestGame, Socket, type Api } from './client.js';
import { buildImage, copyWorkingTree, docker, imageInfo, mib, missingEngine, ok, type Build } from './engine.js';
import { Project, scanImage } from './project.js';

const ARTIFACTS = path.join(REPO_ROOT, 'e2e/artifacts');
const IMAGES = {
  server: { tag: 'monkeytown-server:local', dockerfile: 'deploy/docker/Dockerfile.server' },
  web: { tag: 'monkeytown-web:local', dockerfile: 'deploy/docker/Dockerfile.web' },
} as const;
// docs/containers.md "Budget": what our layers may add on top of node:24-slim.
const BUDGET_MIB = { server: 100, web: 80 };

const runnable = prerequisites('docker compose (real engine)', missingEngine());

describe.runIf(runnable)('docker compose up (real engine)', () => {
  const project = new Project();
  const figures: Record<string, unknown> = {};
  const builds: Record<string, { first: Build; rebuild: Build }> = {};
  let base = '';
  let api: Api;
  let finished: Awaited<ReturnType<typeof playGuestGame>> | undefined;

  async function up(label: string) {
    const r = await project.compose(['up', '-d', '--wait', '--wait-timeout', '240']).catch(async (err: Error) => {
      const logs = await project.compose(['logs', '--tail', '20']).catch((e: Error) => ({ stdout: e.message }));
      throw new Error(`${err.message}\n--- service logs ---\n${logs.stdout}`);
    });
    figures[`healthy_s_${label}`] = r.ms / 1000;
    console.log(`[docker] compose up (${label}): all services healthy in ${(r.ms / 1000).toFixed(1)} s`);
    base = await project.base();
    api = apiAt(base);
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Base images: present, pulled, or (registry unreachable) built offline.
    const t0 = Date.now();
    await ok('bash', [path.join(REPO_ROOT, 'deploy/docker/offline-base/build.sh')], {
      logFile: path.join(ARTIFACTS, 'docker-base-images.log'), timeoutMs: 30 * 60_000,
    });
    figures.base_images_s = (Date.now() - t0) / 1000;

    await copyWorkingTree(project.dir);
    project.writeEnv();
    for (const [name, img] of Object.entries(IMAGES)) {
      const log = path.join(ARTIFACTS, `docker-build-${name}.log`);
      writeFileSync(log, '');
      const first = await buildImage(project.dir, img.dockerfile, img.tag, log);
      builds[name] = { first, rebuild: first };
    }
    // The CI override appears only now: adding it must not invalidate any build step.
    project.writeOverride();
    for (const [name, img] of Object.entries(IMAGES)) {
      builds[name]!.rebuild = await buildImage(project.dir, img.dockerfile, img.tag, path.join(ARTIFACTS, `docker-build-${name}.log`));
    }
    for (const [name, b] of Object.entries(builds)) {
      console.log(`[docker] ${name} image: build ${(b.first.ms / 1000).toFixed(1)} s (${b.first.executed.length} steps run), ` +
        `rebuild with an override file added ${(b.rebuild.ms / 1000).toFixed(1)} s (${b.rebuild.executed.length} steps run)`);
    }
    await project.destroy(); // a previous run's leftovers, if any
    await up('first');
  }, 60 * 60_000);

  afterAll(async () => {
    await project.destroy();
    // The tagged images and a bounded build cache stay for the next run on this
    // machine; what each rebuild leaves behind (untagged images) does not pile up.
    await docker(['image', 'prune', '-f']).catch(() => undefined);
    await docker(['buildx', 'prune', '-f', '--keep-storage', '6gb']).catch(() => undefined);
    writeFileSync(path.join(ARTIFACTS, 'docker-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    await ok('rm', ['-rf', project.dir]);
  }, 120_000);

  it('builds both images with BuildKit; an override file (or any compose edit) re-runs no step', () => {
    for (const [name, b] of Object.entries(builds)) {
      expect(b.rebuild.executed, `${name}: steps re-run after adding docker-compose.override.yml`).toEqual([]);
      figures[`build_s_${name}`] = b.first.ms / 1000;
      figures[`build_steps_run_${name}`] = b.first.executed.length;
      figures[`rebuild_s_${name}`] = b.rebuild.ms / 1000;
    }
  });

  it('image sizes: project layers within the budget of docs/containers.md; images run as non-root', async () => {
    const baseImage = await imageInfo('node:24-slim');
    for (const [name, img] of Object.entries(IMAGES)) {
      const info = await imageInfo(img.tag);
      const own = mib(info.bytes - baseImage.bytes);
      figures[`size_mib_${name}`] = { total: mib(info.bytes), project_layers: own, base: mib(baseImage.bytes) };
      console.log(`[docker] ${img.tag}: ${mib(info.bytes)} MiB total, ${own} MiB on top of node:24-slim (${mib(baseImage.bytes)} MiB)`);
      expect(own, `${name} project layers (MiB)`).toBeLessThanOrEqual(BUDGET_MIB[name as keyof typeof BUDGET_MIB]);
      expect(info.user).toBe('node');
    }
    for (const service of ['web', 'game-server', 'event-stream']) {
      const uid = (await project.compose(['exec', '-T', service, 'id', '-u'])).stdout.trim();
      expect(uid, `${service} runs as`).not.toBe('0');
    }
  });

  it('no secret in any layer, history or config; no .env file in any layer', async () => {
    const values = Object.values(project.secrets);
    for (const img of Object.values(IMAGES)) {
      const scan = await scanImage(img.tag, values);
      expect(scan.hits, img.tag).toEqual([]);
      expect(scan.envFiles, img.tag).toEqual([]);
    }
  }, 300_000);

  it('nginx serves the site: /health, the page with its headers, a cached static chunk', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toMatch(/<html/i);
    const asset = /\/_next\/static\/[^"'\s]+\.js/.exec(html)?.[0];
    expect(asset, 'the page references a script').toBeDefined();
    expect((await fetch(`${base}${asset}`)).status).toBe(200);
    const again = await fetch(`${base}${asset}`);
    expect(again.headers.get('x-cache-status')).toBe('HIT');
    // The rlimit fix: nginx starts without an error line.
    const logs = await project.compose(['logs', 'nginx']);
    expect(`${logs.stdout}${logs.stderr}`).not.toMatch(/\[(emerg|alert|crit|error)\]/);
  });

  it("a guest plays a whole game against an agent over REST; its events arrive on /ws", async () => {
    const agents = await api('GET', '/api/agents');
    expect(agents.status).toBe(200);
    const agentId = (agents.json.agents as Array<{ id: string }>)[0]!.id;
    finished = await playGuestGame(api, `${base.replace('http', 'ws')}/ws`, agentId);
    expect(finished.game.status).toBe('finished');
    expect(finished.game.result).not.toBeNull();
    // Contiguous: every event from the subscription to the end, none missing.
    const expected = Array.from({ length: finished.game.seq - finished.subscribedAt }, (_, i) => finished!.subscribedAt + 1 + i);
    expect([...new Set(finished.seqs)].sort((a, b) => a - b)).toEqual(expected);
  }, 180_000);

  it('X-Forwarded-For from outside is not believed: a rotating header does not escape the rate limit', async () => {
    const statuses = await Promise.all(Array.from({ length: 150 }, async (_, i) => {
      const res = await fetch(`${base}/api/agents`, { headers: { 'x-forwarded-for': `198.51.100.${i % 250}` } });
      await res.arrayBuffer();
      return res.status;
    }));
    expect(statuses.filter((s) => s === 429).length, 'rate-limited answers').toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 3000)); // let the bucket drain for the next tests
  });

  it("the game-server keys a request by the player's address that nginx saw, not by nginx's", async () => {
    // TRUST_PROXY names nginx (and web) by address on the compose network; a hop count
    // would trust nobody and put every player in nginx's one rate-limit bucket.
    // A game that does not exist: a 404 keeps its whole access-log line (successful fast
    // requests are only counted, ACCESS_LOG=summary), with the client address.
    const missing = '/api/games/00000000-0000-4000-8000-00000000dead';
    for (let i = 0; i < 3; i++) expect((await fetch(`${base}${missing}`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 500)); // the log's asynchronous writes (flushed every 200 ms)
    const logs = await project.compose(['logs', '--no-log-prefix', 'game-server']);
    const seen = new Set<string>();
    for (const line of logs.stdout.split('\n')) {
      if (!line.includes(missing)) continue;
      try {
        // compose prefixes each line with a terminal control sequence: read from the JSON's brace.
        const addr = (JSON.parse(line.slice(line.indexOf('{'))) as { req?: { remoteAddress?: string } }).req?.remoteAddress;
        if (addr) seen.add(addr);
      } catch {
        // not a JSON log line
      }
    }
    const sample = logs.stdout.split('\n').slice(-3).join('\n');
    expect([...seen], `addresses the game-server logged for ${missing}; its last lines:\n${sample}`).not.toHaveLength(0);
    expect([...seen]).not.toContain('172.28.213.10');
  });

  it('game-server down: /api answers a JSON error within seconds; `docker compose restart game-server` recovers', async () => {
    await project.compose(['stop', 'game-server']);
    // 504 while nginx still holds the old address (connect timeout, 3 s), 502 once the
    // name no longer resolves; never nginx's HTML page after 60 s.
    const down = await api('GET', '/api/agents');
    expect([502, 504]).toContain(down.status);
    expect(down.json.error.code).toBe('unavailable');
    expect(down.ms).toBeLessThan(5000);
    figures.api_error_with_game_server_down = { status: down.status, ms: down.ms };
    await project.compose(['start', 'game-server']);
    await project.compose(['restart', 'game-server']);
    const t0 = Date.now();
    let status = 0;
    while (Date.now() - t0 < 60_000 && status !== 200) {
      status = (await api('GET', '/api/agents').catch(() => ({ status: 0 }))).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    figures.game_server_restart_recovery_s = (Date.now() - t0) / 1000;
    expect(status).toBe(200);
    expect((await api('GET', `/api/games/${finished!.game.id}`)).json.game.status).toBe('finished');
  }, 120_000);

  it('a killed event-stream replaced by a new container (new address) is found by nginx without a restart', async () => {
    const nginxBefore = await project.inspect('nginx', '{{.Id}} {{.State.StartedAt}}');
    const ipOf = () => project.inspect('event-stream', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}');
    const oldIp = await ipOf();
    await project.compose(['kill', '-s', 'SIGKILL', 'event-stream']);
    // Refused quickly: 502 when the name no longer resolves or the address resets, 504
    // after nginx's 3 s connect timeout when the dead address still resolves and nothing
    // answers (CI saw a 504 after nginx's old 60 s default).
    const refusedFrom = Date.now();
    const refused = await Socket.open(`${base.replace('http', 'ws')}/ws`).then(() => null, (err: { status?: number }) => err);
    expect([502, 504]).toContain(refused?.status);
    expect(Date.now() - refusedFrom).toBeLessThan(10_000);
    // A container joins the network in between, so the replacement cannot simply get
    // the old address back (the engine hands out the lowest free one or the next one).
    const network = await project.inspect('nginx', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}');
    const squatter = (await docker(['run', '-d', '--rm', '--network', network, 'node:24-slim', 'sleep', '120'])).stdout.trim();
    try {
      await project.compose(['rm', '-f', 'event-stream']);
      await project.compose(['up', '-d', '--wait', '--no-deps', 'event-stream']);
      const newIp = await ipOf();
      expect(newIp).not.toBe(oldIp);
      const t0 = Date.now();
      let hello = false;
      while (!hello && Date.now() - t0 < 30_000) {
        const socket = await Socket.open(`${base.replace('http', 'ws')}/ws`).catch(() => null);
        if (socket) {
          hello = (await socket.waitFor((m) => m.type === 'hello', 'hello', 5000)).type === 'hello';
          socket.close();
        } else {
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      figures.event_stream_replaced_ws_back_s = (Date.now() - t0) / 1000;
      console.log(`[docker] event-stream ${oldIp} -> ${newIp}: /ws answered again after ${figures.event_stream_replaced_ws_back_s} s`);
      expect(hello).toBe(true);
      expect(await project.inspect('nginx', '{{.Id}} {{.State.StartedAt}}'), 'nginx was not restarted').toBe(nginxBefore);
    } finally {
      await docker(['rm', '-f', squatter]);
    }
  }, 180_000);

  it('data survives `docker compose down` + `up`', async () => {
    await project.compose(['down']);
    await up('after_down');
    const again = await api('GET', `/api/games/${finished!.game.id}`);
    expect(again.status).toBe(200);
    expect(again.json.game.status).toBe('finished');
    expect(again.json.game.seq).toBe(finished!.game.seq);
  }, 300_000);

  it('`docker compose down -v` leaves no container, volume or network behind', async () => {
    await project.compose(['down', '-v', '--remove-orphans']);
    expect(await project.leftovers()).toEqual([]);
  }, 120_000);
});
