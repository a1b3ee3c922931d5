// Each monkey's own words about how the game is going, added to a move's reason when its
// search has an opinion worth saying: a won position, a worse one, a lost one. Short, in
// character, chosen from the explanation alone (deterministic, no randomness).
import type { Voice } from './profiles.js';
import type { Explanation, Outlook } from './explanation.js';

const ASIDES: Record<Voice, Partial<Record<Outlook, string>>> = {
  champion: { winning: 'as calculated', worse: "I'm worse here, for now", lost: 'well played, you have me' },
  strategist: { winning: 'the plan is complete', worse: "I'm worse here: time to regroup", lost: 'no plan saves this one' },
  trickster: { winning: 'hee hee, the trap is shut', worse: "I'm worse here... time for a trick", lost: 'out of tricks!' },
  guardian: { winning: 'the wall holds and strikes back', worse: "I'm worse here, holding the wall", lost: 'the wall has fallen' },
  speedy: { winning: 'zoom, done!', worse: "oops, I'm worse here", lost: 'too fast for my own good' },
  wild: { winning: 'wheee, winning!', worse: 'chaos is not going my way', lost: 'shrug: chaos giveth, chaos taketh' },
  mentor: {},
  plain: {},
};

export function voiceAside(voice: Voice, e: Explanation): string | null {
  if (!e.outlook) return null;
  // A forced win already says so; the mentor teaches instead of commenting.
  if (e.outlook === 'winning' && (e.code === 'forced-win' || e.code === 'win' || e.code === 'double-threat')) return null;
  return ASIDES[voice][e.outlook] ?? null;
}
