// The AI kit's explanation types, below the games: each game's AI (games/<game>/ai)
// explains its moves with these, and the troop above (reason.ts, voices.ts) phrases them
// in a monkey's voice. This file imports nothing, so a game's AI never imports the troop.

/**
 * A move's explanation before it is phrased in an agent's voice: a code (stable, for
 * tests and UI icons), a plain verb phrase ("blocks your three in column 4") and a tip
 * that MentorOrangutan adds to teach the idea behind the move.
 */
export interface Explanation {
  code:
    | 'win'
    | 'block'
    | 'fork'
    | 'double-threat'
    | 'threat'
    | 'forced-win'
    | 'centre'
    | 'corner'
    | 'edge'
    | 'avoid'
    | 'build'
    | 'hold'
    | 'hunch'
    // chess
    | 'capture'
    | 'trade'
    | 'promote'
    | 'castle'
    | 'defend'
    | 'check'
    | 'develop'
    // othello
    | 'pass'
    | 'squeeze'
    | 'flip'
    | 'quiet';
  plain: string;
  tip: string;
  /** How the mover's search judges the position after this move, when it searched. */
  outlook?: Outlook | undefined;
}

export type Outlook = 'winning' | 'better' | 'level' | 'worse' | 'lost';
