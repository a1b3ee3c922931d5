import type { Connect4State } from '../../games/connect4.js';
import type { Connect4Params } from '../profiles.js';
import type { Explanation } from '../reason.js';
import { pickSoftmax, type Rng } from '../rng.js';
import { Board } from './board.js';
import { c4Explain } from './explain.js';
import { Searcher, isLossScore } from './search.js';

export interface C4Choice {
  column: number;
  explanation: Explanation;
  blunder: boolean;
  nodes: number;
  depth: number;
  scores: { column: number; score: number }[];
}

/**
 * Choose a connect-four move for the side to move with a personality's parameters:
 * real alpha-beta search, then a style bonus (trickiness rewards new threats) and a
 * softmax over scores (temperature), with a seeded chance of a blunder.
 */
export function c4Choose(state: Connect4State, params: Connect4Params, rng: Rng): C4Choice {
  const board = Board.fromState(state);
  const searcher = new Searcher(board, { attack: params.attack, defence: params.defence }, params.nodeBudget);
  const margin = params.temperature * 4 + params.trickiness * 2;
  const root = searcher.searchRoot(params.maxDepth, margin);

  // Style: the trickster likes moves that add threats (including hidden ones higher up).
  const threatsBefore = params.trickiness > 0 ? board.threatCells(board.side).length : 0;
  const adjusted = root.scores.map((s) => {
    if (params.trickiness <= 0 || isLossScore(s.score)) return s.score;
    board.play(s.column);
    const added = board.threatCells((1 - board.side) as 0 | 1).length - threatsBefore;
    board.undo(s.column);
    return s.score + params.trickiness * Math.max(0, added);
  });

  let pick: number;
  let blunder = false;
  if (params.blunderRate > 0 && rng() < params.blunderRate) {
    pick = Math.floor(rng() * root.scores.length);
    blunder = true;
  } else {
    pick = pickSoftmax(adjusted, params.temperature, rng);
  }
  const chosen = root.scores[pick]!;
  let explanation = c4Explain(board, chosen.column, chosen.score);
  if (blunder && (explanation.code === 'build' || explanation.code === 'centre' || explanation.code === 'avoid')) {
    explanation = {
      code: 'hunch',
      plain: `tries column ${chosen.column + 1} on a hunch`,
      tip: 'every move should have a reason: look for threats before you play.',
    };
  }
  return {
    column: chosen.column,
    explanation,
    blunder,
    nodes: root.nodes,
    depth: root.depth,
    scores: root.scores.map(({ column, score }) => ({ column, score })),
  };
}
