// A promise rejected with nobody to catch it, or an exception thrown out of a callback,
// means some piece of the process is in a state nothing planned for (a half-settled
// batch, a loop that will never run again). Node's default would end the process with
// a dump on stderr, past the service's structured log: an operator saw a replica vanish
// and nothing in the logs said why. Every entry (game-server, event-stream, local)
// installs this first thing: the error goes to the service's JSON log at level fatal
// (type, code, message, stack), flushed, and the process exits EX_SOFTWARE so the supervisor
// (ECS, compose, systemd) starts a fresh one. Never swallowed: carrying on with
// unknown state is worse than a restart the other replicas cover (docs/operations.md).
import { pino } from 'pino';

/** sysexits' EX_SOFTWARE: an internal error, not bad configuration (78) nor a failed close (1). */
export const EXIT_FATAL = 70;

interface FatalLog {
  fatal(obj: object, msg: string): void;
}

/**
 * What is logged of whatever was thrown or rejected: the Error itself (the loggers' err
 * serializer writes its type, message, stack and code), or for a reason that is no Error
 * (a rejection's need not be) one saying what it was.
 */
export function fatalError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  let text: string;
  try {
    text = typeof reason === 'string' ? reason : (JSON.stringify(reason) ?? String(reason));
  } catch {
    text = String(reason);
  }
  return Object.assign(new Error(`non-Error ${typeof reason}: ${text}`), { code: 'ERR_NON_ERROR_REASON' });
}

/**
 * The service logger's own stream written out now: the game-server's is asynchronous
 * (http/log.ts buffers 8 KiB), and process.exit() would drop the very line that says why.
 */
function flushNow(log: FatalLog): void {
  const stream = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as { flushSync?: () => void } | undefined;
  try {
    stream?.flushSync?.();
  } catch {
    // nothing buffered, or stdout already gone: the exit code still tells
  }
}

/**
 * Log any unhandled rejection or uncaught exception through `log()` (the logger in use
 * at that moment: a bootstrap one until the service has its own) and exit EXIT_FATAL.
 * The first one wins; one raised while exiting is not logged again.
 */
export function exitOnFatal(log: () => FatalLog, exit: (code: number) => void = (c) => process.exit(c)): void {
  let exiting = false;
  const die = (origin: 'unhandledRejection' | 'uncaughtException', reason: unknown) => {
    if (exiting) return;
    exiting = true;
    const l = log();
    try {
      l.fatal({ err: fatalError(reason), origin }, origin === 'unhandledRejection' ? 'unhandled promise rejection; exiting' : 'uncaught exception; exiting');
      flushNow(l);
    } catch {
      // A logger that throws must not keep the process alive: stderr, then exit.
      process.stderr.write(`${origin}: ${fatalError(reason).stack ?? String(reason)}\n`);
    }
    exit(EXIT_FATAL);
  };
  process.on('unhandledRejection', (reason) => die('unhandledRejection', reason));
  process.on('uncaughtException', (err) => die('uncaughtException', err));
}
