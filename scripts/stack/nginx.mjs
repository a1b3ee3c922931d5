// Run the SHIPPED deploy/docker/nginx.conf outside Docker. Only what cannot be the same
// on a shared machine is rewritten, each by an exact, checked substitution:
//   - upstream addresses (compose service names -> loopback ports),
//   - the resolver (Docker's embedded DNS, 127.0.0.11, exists only in containers; the
//     loopback addresses need no resolver, so the line becomes a comment),
//   - the trusted-proxies include (/etc/nginx/… -> the repo's deploy/docker copy),
//   - the listen port (80 -> a free loopback port),
//   - the proxy cache directory (/var/cache/nginx/... -> the stack's state dir),
// and nginx's temp directories are declared in the state dir (Debian compiles them in
// under /var/lib/nginx).
// Everything else (routing, headers, limits, cache rules) is byte-for-byte the file
// docker compose mounts.
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const UPSTREAMS = {
  web: 'web:3000',
  game_server: 'game-server:3001',
  event_stream: 'event-stream:8080',
};

const RESOLVER = 'resolver 127.0.0.11 valid=10s ipv6=off;';
const TRUSTED_PROXIES = 'include /etc/nginx/trusted-proxies.conf;';
/** The file compose mounts at /etc/nginx/trusted-proxies.conf. */
export const TRUSTED_PROXIES_FILE = fileURLToPath(new URL('../../deploy/docker/trusted-proxies.conf', import.meta.url));

function replaceOnce(text, from, to, what) {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`nginx.conf: expected exactly one "${from}" (${what}), found ${count}`);
  return text.replace(from, to);
}

/**
 * Substitute what only exists inside Docker: the upstream addresses, the resolver line and
 * the path of the trusted-proxies include. `addresses` maps upstream name (web,
 * game_server, event_stream) to a loopback "ip:port" (the names are resolved nowhere, so
 * IP literals only), or to a list of them: replicas become an `upstream stack_<name>`
 * group the variable names (nginx looks a variable's value up among its groups first);
 * a "ip:port down" entry is a replica taken out of rotation, as a load balancer
 * deregisters a target.
 */
export function substituteUpstreams(conf, addresses, trustedProxiesFile = TRUSTED_PROXIES_FILE) {
  let out = conf;
  for (const [name, composeAddr] of Object.entries(UPSTREAMS)) {
    const list = [addresses[name]].flat().filter(Boolean);
    if (list.length === 0) throw new Error(`no address for upstream ${name}`);
    for (const addr of list) {
      if (!/^\d+\.\d+\.\d+\.\d+:\d+( down)?$/.test(addr)) throw new Error(`upstream ${name}: ${addr} is not ip:port (no resolver outside Docker)`);
    }
    let target = list[0];
    if (list.length > 1 || / down$/.test(list[0])) {
      target = `stack_${name}`;
      const group = `    upstream ${target} {\n${list.map((a) => `        server ${a};`).join('\n')}\n    }\n`;
      out = replaceOnce(out, 'http {\n', `http {\n${group}`, 'http block');
    }
    out = replaceOnce(out, `set $${name}_upstream ${composeAddr};`, `set $${name}_upstream ${target};`, `upstream ${name}`);
  }
  out = replaceOnce(out, RESOLVER, '# scripts/stack: loopback upstreams, no resolver', 'resolver');
  out = replaceOnce(out, TRUSTED_PROXIES, `include ${trustedProxiesFile};`, 'trusted proxies');
  return out;
}

/**
 * The stack's copy: upstreams, listen port and cache directory substituted, and nginx's
 * temp directories (compiled in under /var/lib/nginx on Debian, not writable without
 * root) pointed into the state dir, declared right after `http {`.
 */
export function renderStackConf(conf, { addresses, listen, cacheDir, tempDir }) {
  let out = substituteUpstreams(conf, addresses);
  out = replaceOnce(out, 'listen 80;', `listen ${listen};`, 'listen');
  out = replaceOnce(out, 'proxy_cache_path /var/cache/nginx/next_static', `proxy_cache_path ${cacheDir}`, 'cache');
  if (tempDir) {
    const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((k) => `    ${k}_temp_path ${tempDir}/${k};`)
      .join('\n');
    out = replaceOnce(out, '\nhttp {\n', `\nhttp {\n    # scripts/stack: temp dirs in the state dir\n${temps}\n`, 'http block');
  }
  return out;
}

/**
 * Write the stack's conf under `prefix` and return the nginx arguments. `-p prefix`
 * puts nginx's temp dirs there; pid and error log go there through -g (the shipped file
 * leaves both to the image defaults); `daemon off` as in the nginx image's CMD.
 */
export function prepareNginx({ shippedConf, prefix, addresses, listen }) {
  // Written again (then `nginx -s reload`, i.e. SIGHUP) when replicas go in or out.
  mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const cacheDir = path.join(prefix, 'cache', 'next_static');
  mkdirSync(path.dirname(cacheDir), { recursive: true });
  const tempDir = path.join(prefix, 'temp');
  mkdirSync(tempDir, { recursive: true });
  const confFile = path.join(prefix, 'nginx.conf');
  // Whole or not at all (a temp file renamed over it): replicas restarted side by side
  // rewrite it concurrently, and a reload reading a half-written file failed ("no
  // events section") and left a stopping replica in rotation.
  writeFileSync(`${confFile}.${process.pid}.tmp`, renderStackConf(readFileSync(shippedConf, 'utf8'), { addresses, listen, cacheDir, tempDir }));
  renameSync(`${confFile}.${process.pid}.tmp`, confFile);
  const globals = `daemon off; pid ${path.join(prefix, 'nginx.pid')}; error_log ${path.join(prefix, 'logs', 'error.log')} warn;`;
  return { confFile, args: ['-p', `${prefix}/`, '-c', confFile, '-g', globals] };
}
