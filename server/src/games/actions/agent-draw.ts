import { chessAdjudicate, tttMoveScores } from '@monkeytown/shared/ai';

/**
 * Does an agent accept a draw offer? Cheap rules, no search (the answer is given inside
 * the offer's transaction):
 * - tic-tac-toe: perfect play (the solver the troop uses) — accept unless the agent can
 *   force a win from here;
 * - connect four: accept late in the game (30 or more of the 42 discs down), when most
 *   games are decided or drawn-ish and the troop has little left to play for;
 * - chess: accept when behind in material by three pawns or more (lost-ish), or late
 *   (move 60 on, i.e. 120 plies) with material level; decline when ahead.
 */
export function agentAcceptsDraw(type: string, state: unknown, agentSeat: 0 | 1, moveCount: number): boolean {
  switch (type) {
    case 'tictactoe': {
      const s = state as { turn: 0 | 1 };
      const scores = tttMoveScores(s as never);
      if (scores.length === 0) return true;
      const best = Math.max(...scores.map((m) => m.score));
      // Scores are the mover's: positive = the mover wins with perfect play.
      const agentValue = s.turn === agentSeat ? best : -best;
      return agentValue <= 0;
    }
    case 'connect4':
      return moveCount >= 30;
    case 'chess': {
      const ahead = chessAdjudicate(state as never);
      if (ahead === agentSeat) return false;
      if (ahead !== null) return true;
      return moveCount >= 120;
    }
    default:
      return false;
  }
}
