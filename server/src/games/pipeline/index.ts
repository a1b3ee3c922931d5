import { enginesLoaded, loadEngines } from '@monkeytown/shared';
import type { Db } from '../../db/index.js';
import { commandDef } from '../commands/index.js';
import type { CommandOf, CommandKind, Envelope } from '../commands/types.js';
import { LobbyThrottle, writeLobbyRows } from './lobby-throttle.js';
import { Batcher } from './batch.js';
import { storedRequest } from './checks.js';
import { runSolo } from './solo.js';
import type { PhaseClock } from './phases.js';
import type { Outcome, PipelineParts } from './types.js';
import type { CreateRequest } from '../open/create.js';
import type { Written } from '../open/types.js';

/** Creations and joins are not commands on an existing game: their `cmd`/`def` are never read. */
const NO_COMMAND = { cmd: null as never, def: null as never, stored: null };

export interface PipelineOptions extends Omit<PipelineParts, 'lobby'> {
  /** Connections of the batches' own (none: the shared pool). */
  batchDb?: Db;
  /** Batches written at once (their games never overlap). */
  concurrency?: number;
  onBatch?: (n: number) => void;
  /** At most one lobby row per game per this many ms for plain moves (0: every move; pipeline/lobby-throttle.ts). */
  lobbyEveryMs?: number;
  /** A mover's time had run out: settle the game's deadline before the refusal is answered. */
  timeUp?: (gameId: string, now: Date) => Promise<unknown>;
  /** MOVE_PHASE_TIMING: where a batched command's time goes (pipeline/phases.ts). */
  phases?: PhaseClock;
}

/**
 * The one way a write reaches a game: a command is checked (seat, lifecycle, expectedSeq, token
 * version, Idempotency-Key: pipeline/checks.ts), planned without I/O by its command
 * (games/commands), written, then published after COMMIT with the row cache, the lobby
 * throttle, the deadline scheduler and the AI runner told (`landed`). Batched commands
 * (moves, agent.thinking) share a group-commit statement; the rest run as a transaction
 * of their own on the locked row, through the same write statement.
 */
export class CommandPipeline {
  private readonly parts: PipelineParts;
  private readonly batcher: Batcher;
  private readonly lobby: LobbyThrottle;

  constructor(o: PipelineOptions) {
    const batchDb = o.batchDb ?? o.db;
    this.lobby = new LobbyThrottle(o.lobbyEveryMs ?? 0, async (rows) => o.publisher.publish(await writeLobbyRows(batchDb, rows)));
    this.parts = { ...o, lobby: this.lobby };
    this.batcher = new Batcher({
      ...this.parts, db: batchDb, openDb: o.db,
      ...(o.concurrency ? { concurrency: o.concurrency } : {}),
      ...(o.onBatch ? { onBatch: o.onBatch } : {}),
      ...(o.timeUp ? { timeUp: o.timeUp } : {}),
    });
  }

  async run<K extends CommandKind>(env: Envelope, cmd: CommandOf<K>): Promise<Outcome> {
    // The engines (chess's rules) load on the first command that replays or applies moves, not at start.
    if (!enginesLoaded()) await loadEngines();
    const def = commandDef<K>(cmd.kind as K);
    if (!def.batched) return runSolo(this.parts, env, cmd, def as never);
    return this.batcher.submit({ env, cmd, def: def as never, stored: storedRequest(env, cmd, def as never) });
  }

  /** A new game (games/open/create.ts), group-committed with the batch. `tokenVersion`: checked by the statement. */
  async create(req: CreateRequest): Promise<Written> {
    const env = { gameId: req.id, playerId: req.playerId, tokenVersion: req.tokenVersion };
    return (await this.batcher.submit({ env, ...NO_COMMAND, open: { kind: 'create', req } })).response as Written;
  }

  /** `playerId` takes the open seat of `gameId` (games/open/join.ts), group-committed with the batch. */
  async join(gameId: string, playerId: string, tokenVersion?: number): Promise<Written> {
    return (await this.batcher.submit({ env: { gameId, playerId, tokenVersion }, ...NO_COMMAND, open: { kind: 'join' } })).response as Written;
  }

  /** Shutdown, after the last request: writes the lobby rows still held. */
  close(): Promise<void> {
    return this.lobby.close();
  }
}
