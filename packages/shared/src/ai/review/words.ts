// A review's words in the reviewing monkey's voice. The game's kit says what a move did
// in its own terms ("14. Nxe5? drops the knight: after 14… Qa5+ 15. c3 Qxe5 Black is a
// piece up."); this adds the better move with its line, and the monkey's own touch.
import type { Seat } from '../../schemas/game-basics.js';
import type { ReviewMomentKind } from '../../schemas/review.js';
import type { Voice } from '../profiles.js';
import type { Sides } from './types.js';

/** The reviewer speaks as "I" for its own seat and "you" for its opponent; otherwise it names the players. */
export function sidesFor(reviewerSeat: Seat | null, names: readonly [string, string]): Sides {
  const mine = (s: Seat) => reviewerSeat !== null && s === reviewerSeat;
  const yours = (s: Seat) => reviewerSeat !== null && s !== reviewerSeat;
  return {
    subject: (s) => (mine(s) ? 'I' : yours(s) ? 'you' : names[s]),
    object: (s) => (mine(s) ? 'me' : yours(s) ? 'you' : names[s]),
    possessive: (s) => (mine(s) ? 'my' : yours(s) ? 'your' : `${names[s]}'s`),
  };
}

/** What the better move would have kept, from the mover's chance with it. */
export function keeps(bestChance: number): string {
  if (bestChance >= 0.75) return 'which was winning';
  if (bestChance >= 0.58) return 'keeping the upper hand';
  if (bestChance >= 0.42) return 'keeping the balance';
  return 'the most stubborn defence';
}

interface VoiceLines {
  /** Before the turning point's words. */
  turning: string;
  /** Before a slip of the reviewer's own. */
  own: string;
  /** The closing line of the summary. */
  close: string;
}

const VOICES: Record<Voice, VoiceLines> = {
  champion: { turning: 'This decided it.', own: 'My error, and I own it.', close: 'Precision wins games; every slip above was avoidable.' },
  strategist: { turning: 'Here the plan turned.', own: 'My plan went wrong here.', close: 'Plans win games; look at the moments where the plan broke.' },
  trickster: { turning: 'Hee hee, here the trap snapped shut.', own: 'Oops, I fell into my own trap.', close: 'Look twice at every gift: that is where the traps hide.' },
  guardian: { turning: 'Here the wall broke.', own: 'My wall had a hole here.', close: 'Guard first: most of these moments were a threat left unanswered.' },
  speedy: { turning: 'Zoom, this was the moment!', own: 'Too fast, that one was mine.', close: 'Fast is fun, but the moments above needed one more look.' },
  wild: { turning: 'Chaos picked a side right here!', own: 'Wheee, that one of mine was wild.', close: 'Chaos is fun; the search says these were the moves that mattered.' },
  mentor: { turning: 'The turning point.', own: 'I slipped here too.', close: 'Replay each moment and find the better move yourself before reading it.' },
  plain: { turning: 'The turning point.', own: '', close: '' },
};

const LESSON: Record<ReviewMomentKind, string> = {
  blunder: 'Lesson: before each move, look at every threat it allows.',
  mistake: 'Lesson: compare your move with the others before you play it.',
  inaccuracy: 'Lesson: small slips add up; look for the move that does the most.',
  'missed-win': 'Lesson: when you are winning, look for the forcing move first.',
};

/** A moment's words: the kit's sentence, the better move with its line, the monkey's touch. */
export function momentText(o: {
  voice: Voice;
  slip: string;
  betterLine: string;
  bestChance: number;
  kind: ReviewMomentKind;
  turning: boolean;
  own: boolean;
}): string {
  const v = VOICES[o.voice];
  const parts: string[] = [];
  if (o.turning) parts.push(v.turning);
  else if (o.own && v.own) parts.push(v.own);
  parts.push(o.slip);
  parts.push(`Better was ${o.betterLine}, ${keeps(o.bestChance)}.`);
  if (o.voice === 'mentor') parts.push(LESSON[o.kind]);
  return parts.join(' ');
}

/** One line about the whole game: both accuracies, where it turned, the monkey's closing words. */
export function summaryText(o: {
  voice: Voice;
  names: readonly [string, string];
  accuracy: readonly [number | null, number | null];
  turningMove: string | null;
}): string {
  const acc = (s: Seat) => (o.accuracy[s] === null ? `${o.names[s]} made no move` : `${o.names[s]} played at ${Math.round(o.accuracy[s]!)}% accuracy`);
  const turned = o.turningMove ? ` The game turned on ${o.turningMove}.` : ' No single move decided it.';
  const close = VOICES[o.voice].close;
  return `${acc(0)}, ${acc(1)}.${turned}${close ? ` ${close}` : ''}`;
}
