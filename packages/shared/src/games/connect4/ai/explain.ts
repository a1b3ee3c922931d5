import type { Seat } from '../../../schemas/game-basics.js';
import type { Explanation } from '../../../ai/explanation.js';
import { Board, COLS, ROWS, lineDirection } from './board.js';
import { WIN, isLossScore, isWinScore } from './search.js';

/** Columns are named 1..7 to people, rows 1..6 from the bottom. */
const colName = (c: number) => `column ${c + 1}`;

function rowName(h: number): string {
  return h === 0 ? 'the bottom row' : `row ${h + 1}`;
}

function where(dir: 'horizontal' | 'vertical' | 'diagonal', col: number, h: number): string {
  if (dir === 'vertical') return `in ${colName(col)}`;
  if (dir === 'horizontal') return `along ${rowName(h)}`;
  return 'on the diagonal';
}

/**
 * Why dropping into `col` makes sense, judged on the actual position (`b` is the position
 * before the move; it is left unchanged). `score` is the search score of the move, if known.
 */
export function c4Explain(b: Board, col: number, score: number | null): Explanation {
  const me = b.side;
  const you = (1 - me) as Seat;
  const h = b.heights[col] as number;

  if (b.winsAt(col, h, me)) {
    const dir = lineDirection(b, col, h, me) ?? 'horizontal';
    const how = dir === 'vertical' ? `stacks four ${where(dir, col, h)}` : `connects four ${where(dir, col, h)}`;
    return { code: 'win', plain: `${how} and wins`, tip: 'before anything else, check whether you can win right now.' };
  }
  if (b.winsAt(col, h, you)) {
    const dir = lineDirection(b, col, h, you) ?? 'horizontal';
    return {
      code: 'block',
      plain: `blocks {your} three ${where(dir, col, h)}`,
      tip: 'when your opponent has three with an open square, block it at once.',
    };
  }

  const before = b.threatCells(me).length;
  b.play(col);
  let playableWins = 0;
  for (let c = 0; c < COLS; c++) if (b.winningDrop(c, me)) playableWins++;
  const afterThreats = b.threatCells(me);
  const givesAway = h + 1 < ROWS && b.winsAt(col, h + 1, you);
  b.undo(col);

  if (playableWins >= 2) {
    return {
      code: 'double-threat',
      plain: `sets up a double threat: two ways to win next move`,
      tip: 'two threats at once cannot both be blocked.',
    };
  }
  if (score !== null && isWinScore(score)) {
    const plies = WIN - score - b.moves; // moves until the win, both sides
    const mine = Math.ceil(plies / 2);
    return {
      code: 'forced-win',
      plain: `sees a forced win in ${mine} move${mine === 1 ? '' : 's'}`,
      tip: 'look several moves ahead: forcing moves leave your opponent no choice.',
    };
  }
  if (afterThreats.length > before) {
    const fresh = afterThreats.find((cell) => !b.threatCells(me).includes(cell)) ?? afterThreats[0]!;
    const tc = Math.floor(fresh / ROWS);
    const th = fresh % ROWS;
    const playableNow = th === (b.heights[tc] as number) + (tc === col ? 1 : 0);
    return {
      code: 'threat',
      plain: playableNow
        ? `makes three in a row, threatening ${colName(tc)}`
        : `builds a hidden threat in ${colName(tc)} (${rowName(th)})`,
      tip: playableNow
        ? 'a threat forces a reply, so you decide where the game goes.'
        : 'threats higher up the board win late in the game, when the columns fill.',
    };
  }
  if (score !== null && isLossScore(score)) {
    return {
      code: 'hold',
      plain: `is under pressure and holds out in ${colName(col)}`,
      tip: 'when you are behind, make the game long and hope for a mistake.',
    };
  }
  // A column nearer the centre would hand the opponent the square above it.
  for (const c of [3, 2, 4, 1, 5, 0, 6]) {
    if (c === col) break;
    const ch = b.heights[c] as number;
    if (ch + 1 < ROWS && b.winsAt(c, ch + 1, you) && !givesAway) {
      return {
        code: 'avoid',
        plain: `avoids ${colName(c)}, which would give {you} the square above`,
        tip: 'never play directly under your opponent’s winning square.',
      };
    }
  }
  if (col === 3) {
    return {
      code: 'centre',
      plain: b.moves < 2 ? 'takes the centre' : 'plays in the centre column',
      tip: 'the centre column is part of the most lines of four.',
    };
  }
  let friends = 0;
  for (const [dc, dh] of [[1, 0], [-1, 0], [0, -1], [1, 1], [-1, -1], [1, -1], [-1, 1]] as const) {
    const c = col + dc;
    const r = h + dh;
    if (c >= 0 && c < COLS && r >= 0 && r < ROWS && b.cells[c * ROWS + r] === me + 1) friends++;
  }
  if (friends > 0) {
    return {
      code: 'build',
      plain: `builds on {its} pieces in ${colName(col)}`,
      tip: 'pieces next to each other make more lines of four possible.',
    };
  }
  return {
    code: 'build',
    plain: `develops in ${colName(col)}`,
    tip: 'spread your pieces so they can join up later, favouring the middle columns.',
  };
}
