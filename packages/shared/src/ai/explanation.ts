// The AI kit's explanation types, below the games: each game's AI (games/<game>/ai)
// explains its moves with these, and the troop above (reason.ts, voices.ts) phrases them
// in a monkey's voice. This file imports nothing, so a game's AI never imports the troop.

/**
 * The codes a move's explanation may carry (stable, for tests and UI icons). The troop's
 * common vocabulary is listed here (reason.ts and voices.ts phrase some of them); a game
 * adds its own codes from its own folder by declaration merging, e.g. in games/<type>/troop.ts:
 * `declare module '../../ai/explanation.js' { interface ExplanationCodes { pass: true } }`.
 * tsc still checks every code, and this file names no game.
 */
export interface ExplanationCodes {
  win: true;
  block: true;
  fork: true;
  'double-threat': true;
  threat: true;
  'forced-win': true;
  centre: true;
  corner: true;
  edge: true;
  avoid: true;
  build: true;
  hold: true;
  hunch: true;
  capture: true;
  trade: true;
  promote: true;
  castle: true;
  defend: true;
  check: true;
  develop: true;
}

/**
 * A move's explanation before it is phrased in an agent's voice: a code (stable, for
 * tests and UI icons), a plain verb phrase ("blocks your three in column 4") and a tip
 * that MentorOrangutan adds to teach the idea behind the move.
 */
export interface Explanation {
  code: keyof ExplanationCodes;
  plain: string;
  tip: string;
  /** How the mover's search judges the position after this move, when it searched. */
  outlook?: Outlook | undefined;
}

export type Outlook = 'winning' | 'better' | 'level' | 'worse' | 'lost';
