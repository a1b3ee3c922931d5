/**
 * Settings of the live-game actions that snapshots show (`claimAfterSeconds`). Set once
 * at start from the configuration (DISCONNECT_CLAIM_SECONDS, routes/game-actions.ts):
 * toSnapshot is a pure function of a row, called from many places, so the setting lives
 * here rather than being threaded through every caller.
 */
export const liveRules = {
  /** A player with no event stream open on the game this long lets the opponent claim it. */
  claimAfterSeconds: 30,
};
