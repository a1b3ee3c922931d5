import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One process per DATA_DIR. PGlite is one process's database: a second process opening
 * the same directory corrupts it or serves a stale copy (issue 26: a game made on one
 * `npm start` was a 404 on the other). The lock is a file holding the owner's pid:
 *
 * - taken with link(2) of a complete temp file, so it appears atomically and always whole
 *   (two starters cannot both create it);
 * - held by a live pid → refused at once with DataDirLockedError naming the directory and
 *   the pid (never a wait: nothing hangs);
 * - left by a dead pid (a crash, kill -9) or by our own pid from an earlier life (a
 *   container's pid 1 again) → stale: moved aside by rename(2) and, only if what was moved
 *   is still that stale lock, deleted before taking it afresh; what another starter took
 *   in the meantime is put back. (Three processes racing over one stale lock in the same
 *   millisecond could still both win; two cannot.)
 *
 * A pid reused by an unrelated process reads as alive: the safe side (refuse, name it).
 * The lock is for one machine's processes, as PGlite's directory is.
 */
export const LOCK_FILE = 'monkeytown.lock';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `${dataDir} is in use by another Monkeytown process (pid ${pid}): one process per data directory. ` +
        'Stop that one first, or set DATA_DIR to another directory.',
    );
  }
}

/** Lock files this process holds (a second open in the same process is refused too). */
const held = new Set<string>();

/** The pid in a lock file; null when the file says nothing usable; undefined when it is gone. */
function ownerOf(file: string): number | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** A live process has `pid` (EPERM: alive, someone else's). Our own pid here is an earlier life's. */
function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove the stale lock of `owner`, unless another starter replaced it first (then it stays). */
function clearStale(file: string, owner: number | null): void {
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another starter cleared it
    throw err;
  }
  try {
    if (ownerOf(aside) !== owner) {
      // A fresh lock another starter took after we read the stale one: give it back.
      try {
        linkSync(aside, file);
      } catch {
        // a third starter has it now: it is theirs
      }
    }
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Lock `dataDir` for this process; returns the release (also run at exit). Throws
 * DataDirLockedError when a live process holds it.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) throw new DataDirLockedError(dir, process.pid);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.new-${process.pid}-${randomUUID()}`;
  writeFileSync(tmp, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(tmp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = ownerOf(file);
        if (owner === undefined) continue; // released meanwhile: try again
        if (owner !== null && alive(owner)) throw new DataDirLockedError(dir, owner);
        clearStale(file, owner);
        continue;
      }
      held.add(file);
      const release = () => {
        if (!held.delete(file)) return;
        process.off('exit', release);
        if (ownerOf(file) === process.pid) unlinkSync(file);
      };
      process.on('exit', release); // a process.exit() without close still leaves no lock behind
      return release;
    }
    throw new Error(`could not lock ${dir}: its ${LOCK_FILE} kept changing`);
  } finally {
    rmSync(tmp, { force: true });
  }
}
