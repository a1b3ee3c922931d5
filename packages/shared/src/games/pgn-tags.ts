import type { ClockSettings, GameResult, ResultReason } from '../schemas/game-basics.js';
import type { RecordTags } from './types.js';

/**
 * The header tags of a game record in PGN's terms (PGN standard §8.1, §9), for any game
 * whose record format has PGN-style headers. Pure: no chess.js here.
 */

/**
 * PGN §9.8.1 Termination values, as lichess writes them too: a game decided on the board,
 * by resignation or by agreement ended "normal"ly; a flag that fell is a "time forfeit"
 * (also when the score is a draw because the other side could not mate); a game that
 * never really got played (aborted before both sides moved, an open seat nobody took, an
 * untimed game left idle) or one whose loser left and lost by the opponent's claim is
 * "abandoned". Monkeytown refuses illegal moves, so no game ends in a "rules infraction".
 */
export const PGN_TERMINATION: Record<ResultReason, string> = {
  win: 'normal',
  draw: 'normal',
  resign: 'normal',
  agreement: 'normal',
  timeout: 'time forfeit',
  aborted: 'abandoned',
  abandoned: 'abandoned',
  left: 'abandoned',
};

/** A game still in play. */
export const PGN_UNTERMINATED = 'unterminated';

/** PGN §9.6.1: seconds per side, "+" the increment ("60+0" for 1+0); "-" for no time control. */
export function pgnTimeControl(clock: ClockSettings | null): string {
  return clock ? `${clock.initialSeconds}+${clock.incrementSeconds}` : '-';
}

const two = (n: number) => String(n).padStart(2, '0');

/** "YYYY.MM.DD" in UTC (the Date and UTCDate tags). */
export function pgnDate(d: Date): string {
  return `${d.getUTCFullYear()}.${two(d.getUTCMonth() + 1)}.${two(d.getUTCDate())}`;
}

/** "HH:MM:SS" in UTC (the UTCTime tag). */
export function pgnTime(d: Date): string {
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** "1-0", "0-1", "1/2-1/2", or "*" while the game goes on. */
export function pgnResult(result: Pick<GameResult, 'winner'> | null | undefined): string {
  if (!result) return '*';
  return result.winner === null ? '1/2-1/2' : result.winner === 0 ? '1-0' : '0-1';
}

/**
 * The tags after the Seven Tag Roster, in a stable order: the time control, how it
 * ended, both ratings ("-" unknown, PGN §9.2) and the UTC start (the game's address is
 * the Site tag, as lichess writes it).
 * A tag whose source the caller did not give is left out.
 */
export function pgnExtraTags(tags: Omit<RecordTags, 'players'>, result: GameResult | null): [string, string][] {
  const out: [string, string][] = [];
  if (tags.clock !== undefined) out.push(['TimeControl', pgnTimeControl(tags.clock)]);
  if (tags.result !== undefined) out.push(['Termination', result ? PGN_TERMINATION[result.reason] : PGN_UNTERMINATED]);
  if (tags.ratings) {
    const elo = (r: number | null) => (r === null ? '-' : String(Math.round(r)));
    out.push(['WhiteElo', elo(tags.ratings[0])], ['BlackElo', elo(tags.ratings[1])]);
  }
  if (tags.date) out.push(['UTCDate', pgnDate(tags.date)], ['UTCTime', pgnTime(tags.date)]);
  return out;
}

/** A reason as a PGN comment's text: braces end a comment, and a comment is one line. */
export function pgnComment(text: string): string {
  return text.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')).replace(/\s+/g, ' ').trim();
}
