// Which port is which, where they come from, and a friendly refusal when one is taken.
import net from 'node:net';

/** The three ports of `npm start`, each with the variable that moves it. */
export function portsFromEnv(env) {
  const num = (name, def) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}=${raw} is not a port number (1-65535)`);
    return n;
  };
  return [
    { key: 'site', variable: 'PORT', port: num('PORT', 3000) },
    { key: 'api', variable: 'API_PORT', port: num('API_PORT', 3001) },
    { key: 'events', variable: 'EVENTS_PORT', port: num('EVENTS_PORT', 8080) },
  ];
}

/** Resolves to the error code when `port` cannot be bound on `host`, null when it can. */
export function probePort(port, host) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (err) => resolve(err.code ?? 'error'));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(null)));
  });
}

/** The message for a port someone else holds: which service, which variable to set. */
export function takenMessage({ key, variable, port }, code) {
  const what = code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${code})`;
  return `Port ${port} (${key}) ${what}. Set ${variable} to a free port, e.g. ${variable}=${port + 100} npm start`;
}
