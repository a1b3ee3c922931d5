import type { Voice } from './profiles.js';
import type { Explanation } from './explanation.js';
import { voiceAside } from './voices.js';

export type { Explanation, Outlook } from './explanation.js';

/**
 * Explanations name the two sides with tokens, so the same text works from the agent's
 * side ("blocks your three", said to its opponent) and as a hint to a player ("blocks
 * their three"): {your} {you} {yours} are the opponent of the mover, {its} the mover.
 */
const AGENT_SIDE: Record<string, string> = { '{your}': 'your', '{you}': 'you', '{yours}': 'yours', '{its}': 'its' };
const HINT_SIDE: Record<string, string> = { '{your}': 'their', '{you}': 'them', '{yours}': 'theirs', '{its}': 'your' };

export function fillSides(text: string, side: 'agent' | 'hint'): string {
  const table = side === 'agent' ? AGENT_SIDE : HINT_SIDE;
  return text.replace(/\{(your|you|yours|its)\}/g, (t) => table[t] ?? t);
}

/** Phrase an explanation in a personality's voice (short, one sentence). */
export function phrase(voice: Voice, explanation: Explanation): string {
  const text = phraseMove(voice, explanation);
  const aside = voiceAside(voice, explanation);
  return aside ? `${text} — ${aside}` : text;
}

function phraseMove(voice: Voice, explanation: Explanation): string {
  const e = { ...explanation, plain: fillSides(explanation.plain, 'agent') };
  switch (voice) {
    case 'mentor':
      return `${e.plain} — lesson: ${e.tip}`;
    case 'trickster':
      if (e.code === 'threat' || e.code === 'fork' || e.code === 'double-threat' || e.code === 'check') return `sets a little trap: ${e.plain}`;
      return e.plain;
    case 'guardian':
      if (e.code === 'block' || e.code === 'defend' || e.code === 'castle') return `stands guard and ${e.plain}`;
      return e.plain;
    case 'wild':
      if (e.code === 'hunch') return e.plain;
      return e.plain;
    case 'speedy':
      return e.code === 'win' || e.code === 'block' || e.code === 'capture' ? `quickly ${e.plain}` : e.plain;
    case 'champion':
    case 'strategist':
    case 'plain':
      return e.plain;
  }
}

/** A hint for a player: "Try column 4: it blocks their three in column 4 — when …". */
export function hintText(moveName: string, e: Explanation): string {
  return `Try ${moveName}: it ${fillSides(e.plain, 'hint')} — ${e.tip}`;
}
