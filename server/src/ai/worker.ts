// AI worker thread: runs the troop's search off the game-server's event loop.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { chooseMove, reviewGame, type ChooseMoveInput, type ReviewInput } from '@monkeytown/shared/ai';
import type { GameReview } from '@monkeytown/shared';
import { loadEngines } from '@monkeytown/shared/games';

/** A move to choose, or (issue 27) a finished game to review. */
export type AiTask = { id: number; input: ChooseMoveInput } | { id: number; review: ReviewInput };

export type AiReply =
  | { id: number; ok: true; move: unknown; reason: string; stats: { nodes: number; depth: number; ms: number } }
  | { id: number; ok: true; review: GameReview; ms: number }
  | { id: number; ok: false; error: string };

if (!parentPort) throw new Error('ai worker must run in a worker thread');

// Lower this thread's priority (on Linux, setpriority with pid 0 applies to the calling
// thread only): when cores are scarce, the event loop answering requests goes first and
// a long chess search waits; a review worker (workerData.priority 19) waits behind both.
// Best effort: some platforms or sandboxes refuse.
try {
  setPriority(typeof workerData?.priority === 'number' ? workerData.priority : 10);
} catch {
  // keep the default priority
}
const port = parentPort;

port.on('message', (task: AiTask) => {
  let reply: AiReply;
  try {
    if ('review' in task) {
      const t0 = performance.now();
      const review = reviewGame(task.review);
      reply = { id: task.id, ok: true, review, ms: Math.round(performance.now() - t0) };
    } else {
      const r = chooseMove(task.input);
      reply = { id: task.id, ok: true, move: r.move, reason: r.reason, stats: r.stats };
    }
  } catch (err) {
    reply = { id: task.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});

// Loaded (imports resolved, search code compiled, chess.js loaded for the reasons' SAN):
// the pool may send work now. Workers start with the first agent turn, not with the server.
await loadEngines();
port.postMessage({ ready: true });
