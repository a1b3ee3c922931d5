// Is the data directory another Monkeytown's? The game server takes the lock itself
// (server/src/db/data-lock.ts, which writes this file); `npm start` only reads it first,
// so a second start is refused before anything is spawned, in one message with any taken
// port.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'monkeytown.lock';

/** The live pid holding `dir`, or null (no lock, or a stale one the server will take over). */
export function dataDirHolder(dir) {
  let pid;
  try {
    pid = Number(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return err.code === 'EPERM' ? pid : null;
  }
}

/** The refusal, worded as the server words it, with the variable to change. */
export function lockedMessage(dir, pid) {
  return `${dir} is in use by another Monkeytown process (pid ${pid}): one process per data directory. ` +
    'Stop that one first, or set DATA_DIR to another directory, e.g. DATA_DIR=./.data2 npm start';
}
