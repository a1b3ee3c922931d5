import type { Voice } from './profiles.js';

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
    | 'hunch';
  plain: string;
  tip: string;
}

/** Phrase an explanation in a personality's voice (short, one sentence). */
export function phrase(voice: Voice, e: Explanation): string {
  switch (voice) {
    case 'mentor':
      return `${e.plain} — lesson: ${e.tip}`;
    case 'trickster':
      if (e.code === 'threat' || e.code === 'fork' || e.code === 'double-threat') return `sets a little trap: ${e.plain}`;
      return e.plain;
    case 'guardian':
      if (e.code === 'block') return `stands guard and ${e.plain}`;
      return e.plain;
    case 'wild':
      if (e.code === 'hunch') return e.plain;
      return e.plain;
    case 'speedy':
      return e.code === 'win' || e.code === 'block' ? `quickly ${e.plain}` : e.plain;
    case 'champion':
    case 'strategist':
    case 'plain':
      return e.plain;
  }
}
