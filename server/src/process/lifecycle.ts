// What every entry point (game-server, event-stream, local) does around its service:
// refuse bad configuration with EX_CONFIG, and on SIGTERM/SIGINT close gracefully once,
// exiting non-zero when closing fails or outlasts its grace.
import { ConfigError } from '../config/index.js';

/** Load configuration; a ConfigError is printed and ends the process with 78 (EX_CONFIG). */
export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

interface ShutdownLog {
  info(obj: object, msg: string): void;
  error(obj: object | string, msg?: string): void;
}

/**
 * On the first SIGTERM or SIGINT run `close` and exit 0; exit 1 when it rejects or has
 * not finished after `forceAfterMs` (a stuck drain must not keep a task from stopping).
 */
export function shutdownOnSignals(opts: { log: ShutdownLog; close: () => Promise<void>; forceAfterMs: number }): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    opts.log.info({ signal }, 'shutting down');
    setTimeout(() => {
      opts.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, opts.forceAfterMs).unref();
    opts.close().then(
      () => process.exit(0),
      (err: unknown) => {
        opts.log.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
