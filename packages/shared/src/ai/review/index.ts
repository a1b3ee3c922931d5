// The post-game review (issue 27), game-agnostic: replay the game, search every position
// with the game's kit (analyse.ts), grade the moves and pick the moments (moments.ts), and
// put them in the reviewing monkey's words (words.ts). Pure and deterministic: the same
// game gives the same review. Runs in the game-server's AI worker threads.
import type { AgentId, GameType, Seat } from '../../schemas/games.js';
import type { GameReview, ReviewMoment } from '../../schemas/review.js';
import { getEngine } from '../../games/index.js';
import { GAME_AI } from '../registry.js';
import { personalityOf } from '../profiles.js';
import { analyseGame } from './analyse.js';
import { kindOf, moveAccuracy, pickMoments, sideAccuracy, turningPoint } from './moments.js';
import { momentText, sidesFor, summaryText } from './words.js';
import type { ReviewKit } from './types.js';

export type { PositionAnalysis, ReviewKit, Sides, SlipContext } from './types.js';
export { moveAccuracy, INACCURACY, MISTAKE, BLUNDER } from './moments.js';

export interface ReviewInput {
  type: GameType;
  /** The game's final state as stored. */
  final: unknown;
  /** Every move of the game in order, as stored. */
  moves: readonly unknown[];
  /** The monkey on each seat (null: a person). */
  agents: readonly [AgentId | null, AgentId | null];
  names: readonly [string, string];
  /** Who won (null: a draw; undefined: the game ended undecided, e.g. aborted). */
  winner: Seat | null | undefined;
}

/**
 * Who reviews: the monkey that played (the winner's when two monkeys played), speaking
 * as "I"; a game between people is reviewed by MentorOrangutan, who names the players.
 */
function reviewerOf(input: ReviewInput): { agentId: AgentId; seat: Seat | null } {
  const [a0, a1] = input.agents;
  if (a0 && a1) return input.winner === 1 ? { agentId: a1, seat: 1 } : { agentId: a0, seat: 0 };
  if (a0) return { agentId: a0, seat: 0 };
  if (a1) return { agentId: a1, seat: 1 };
  return { agentId: 'mentororangutan', seat: null };
}

export function reviewGame(input: ReviewInput): GameReview {
  const engine = getEngine(input.type);
  const kit = GAME_AI[input.type].review as ReviewKit<unknown, unknown>;
  const { plies, curve } = analyseGame(engine, kit, input.final, input.moves);
  const reviewer = reviewerOf(input);
  const personality = personalityOf(reviewer.agentId);
  const sides = sidesFor(reviewer.seat, input.names);
  const turning = turningPoint(plies, curve, input.winner);
  const lineText = (state: unknown, line: readonly unknown[]) => kit.lineMoves(state, line).join(kit.lineJoin);
  const moveText = (p: (typeof plies)[number]) => lineText(p.before, [p.played]);

  const moments: ReviewMoment[] = pickMoments(plies, turning).map((p) => {
    const kind = kindOf(p) ?? 'inaccuracy';
    const mark = !kit.marks ? '' : kind === 'blunder' || kind === 'missed-win' ? '??' : kind === 'mistake' ? '?' : '?!';
    const slip = kit.slip({ before: p.before, played: p.played, after: p.after, reply: p.reply, mover: p.mover, sides, mark });
    const betterLine = lineText(p.before, p.search.line);
    return {
      ply: p.ply,
      seat: p.mover,
      kind,
      turningPoint: p.ply === turning,
      played: moveText(p),
      better: lineText(p.before, [p.search.best]),
      betterLine: kit.lineMoves(p.before, p.search.line),
      loss: round(p.loss),
      text: momentText({ voice: personality.voice, slip, betterLine, bestChance: p.bestChance, kind, turning: p.ply === turning, own: reviewer.seat === p.mover }),
    };
  });
  const accuracy = [sideAccuracy(plies, 0), sideAccuracy(plies, 1)] as const;
  const count = (seat: Seat, k: string) => plies.filter((p) => p.mover === seat && kindOf(p) === k).length;
  const turningPly = plies.find((p) => p.ply === turning);
  return {
    reviewer: { agentId: reviewer.agentId, name: personality.profile.name },
    curve: curve.map((c) => Math.round(c * 1000) / 10),
    moments,
    turningPoint: turning,
    players: ([0, 1] as const).map((seat) => ({
      seat,
      accuracy: accuracy[seat],
      blunders: count(seat, 'blunder') + count(seat, 'missed-win'),
      mistakes: count(seat, 'mistake'),
      inaccuracies: count(seat, 'inaccuracy'),
    })) as unknown as GameReview['players'],
    plies: plies.map((p) => ({
      ply: p.ply,
      seat: p.mover,
      played: moveText(p),
      best: lineText(p.before, [p.search.best]),
      loss: round(p.loss),
      accuracy: moveAccuracy(p.loss),
    })),
    summary: summaryText({ voice: personality.voice, names: input.names, accuracy, turningMove: turningPly ? moveText(turningPly) : null }),
    method: kit.method,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
