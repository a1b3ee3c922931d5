import type { AgentId, GameType, Seat } from '../schemas/games.js';
import { getEngine } from '../games/index.js';
import { chooseMove, type ChooseMoveInput } from './choose.js';
import { PERSONALITIES } from './profiles.js';
import { deriveSeed } from './rng.js';

/**
 * Agent-vs-agent games for tests and benchmarks (the ladder). Everything is seeded, so a
 * ladder is reproducible: same agents, same seeds, same table.
 */
export type ArenaGame = GameType;

export interface ArenaResult {
  /** Winning seat or null for a draw. */
  winner: Seat | null;
  moves: number;
  nodes: number;
}

export function playAgents(type: ArenaGame, seat0: AgentId, seat1: AgentId, seed: number): ArenaResult {
  const engine = getEngine(type); // throws for a name that is not a game: no fallback
  let state = engine.initialState();
  let nodes = 0;
  let plies = 0;
  for (; !engine.outcome(state); plies++) {
    const agentId = engine.turn(state) === 0 ? seat0 : seat1;
    const r = chooseMove({ type, state, agentId, seed: deriveSeed(seed, String(plies)) } as ChooseMoveInput);
    nodes += r.stats.nodes;
    state = engine.apply(state, r.move);
  }
  const out = engine.outcome(state)!;
  return { winner: out.winner, moves: plies, nodes };
}

export interface LadderRow {
  agentId: AgentId;
  wins: number;
  draws: number;
  losses: number;
  /** Wins + half the draws. */
  score: number;
}

/**
 * Round robin: every pair plays `gamesPerPair` games, alternating who starts.
 * Rows are sorted by score (best first).
 */
export function ladder(
  type: ArenaGame,
  agents: readonly AgentId[],
  gamesPerPair: number,
  seed = 1,
  onGame?: (a: AgentId, b: AgentId, r: ArenaResult) => void,
): LadderRow[] {
  const rows = new Map<AgentId, LadderRow>(agents.map((id) => [id, { agentId: id, wins: 0, draws: 0, losses: 0, score: 0 }]));
  for (let i = 0; i < agents.length; i++) {
    for (let j = i + 1; j < agents.length; j++) {
      for (let g = 0; g < gamesPerPair; g++) {
        const a = agents[i]!;
        const b = agents[j]!;
        const [s0, s1] = g % 2 === 0 ? [a, b] : [b, a];
        const r = playAgents(type, s0, s1, deriveSeed(seed, a, b, String(g)));
        onGame?.(s0, s1, r);
        const row0 = rows.get(s0)!;
        const row1 = rows.get(s1)!;
        if (r.winner === null) {
          row0.draws++;
          row1.draws++;
        } else {
          (r.winner === 0 ? row0 : row1).wins++;
          (r.winner === 0 ? row1 : row0).losses++;
        }
      }
    }
  }
  for (const row of rows.values()) row.score = row.wins + row.draws / 2;
  return [...rows.values()].sort((x, y) => y.score - x.score);
}

/** The ladder as a fixed-width text table. */
export function formatLadder(rows: readonly LadderRow[]): string {
  const lines = ['agent              strength  W    D    L    score'];
  for (const r of rows) {
    const p = PERSONALITIES[r.agentId].profile;
    lines.push(
      `${`${p.emoji} ${p.name}`.padEnd(19)}${String(p.strength).padStart(8)}  ${String(r.wins).padEnd(5)}${String(r.draws).padEnd(5)}${String(r.losses).padEnd(5)}${r.score}`,
    );
  }
  return lines.join('\n');
}
