import type { MoveOf, StateOf } from '@monkeytown/shared/games';
import type { GameType, Seat } from '@monkeytown/shared/schemas';

/** What every board gets, typed for its own game. */
export interface BoardProps<K extends GameType> {
  state: StateOf<K>;
  /** Legal moves for the viewer now (empty when it is not their turn, or in a replay). */
  legalMoves: readonly MoveOf<K>[];
  onMove?: ((move: MoveOf<K>) => void) | undefined;
  winLine?: readonly number[] | undefined;
  lastMove?: MoveOf<K> | undefined;
  /** A suggested move to highlight (MentorOrangutan's hint). */
  hintMove?: MoveOf<K> | undefined;
  /** The viewer's seat (null for a spectator or a replay): boards may orient to it. */
  viewerSeat?: Seat | null | undefined;
  /** A queued premove (useGamePremove), highlighted until played or cancelled. */
  premoveMove?: MoveOf<K> | undefined;
}
