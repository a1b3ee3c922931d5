// A small word filter for game chat: a line with a profanity or slur in it is still
// posted, the word masked after its first letter ("f***ing"), never refused — a refusal
// would teach people to spell around it and punish the innocent who trip on a
// near-miss. The word list and the matching (l33t, spaced-out and repeated letters,
// whole words only so "Scunthorpe" or "assassin" pass) are obscenity's English dataset:
// a well-kept list beats one written here.
import {
  asteriskCensorStrategy, englishDataset, englishRecommendedTransformers, keepStartCensorStrategy, RegExpMatcher, TextCensor,
} from 'obscenity';

const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
const censor = new TextCensor().setStrategy(keepStartCensorStrategy(asteriskCensorStrategy()));

/** `text` with every filtered word masked after its first letter (the same text when none). */
export function maskWords(text: string): string {
  const matches = matcher.getAllMatches(text, true);
  return matches.length ? censor.applyTo(text, matches) : text;
}
