/**
 * Where a batched command's time goes inside the game-server (issue 28: the G = 50
 * latency). Debug only: on with MOVE_PHASE_TIMING=1, off (no stamps, no observations)
 * otherwise. The phases of one command, in order:
 * - `lane`: queued in the batcher → its batch taken (waiting for the lane's batch in flight);
 * - `plan`: batch taken → its statement sent (stored-response and row reads, checks, plans,
 *   the statement's parameters built);
 * - `statement`: statement sent → returned, i.e. executed AND committed (one round trip:
 *   its own transaction, synchronous_commit on), or the whole transaction of a rated batch;
 * - `publish`: the batch's events handed to the bus → Redis answered (per event).
 * Batch sizes are always counted (`monkeytown_move_batch_size`). The bench reads them from /metrics (`bench/micro/move-counts.ts --phases`).
 */
export type MovePhase = 'lane' | 'plan' | 'statement' | 'publish';

export interface PhaseClock {
  /** `ms` spent by one command (or one event, for `publish`) in `phase`. */
  observe(phase: MovePhase, ms: number): void;
}

/** Monotonic milliseconds (comparable within a process). */
export const stamp = (): number => performance.now();
