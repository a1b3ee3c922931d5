/**
 * Small seeded PRNG (mulberry32). The AI never calls Math.random: the same position,
 * agent and seed always give the same move, which makes games replayable and tests exact.
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over a string, to fold agent ids and other labels into a seed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Seed for a purpose ("move", "delay") derived from a caller seed and an agent id. */
export function deriveSeed(seed: number, ...labels: string[]): number {
  let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  for (const label of labels) h = Math.imul(h ^ hashString(label), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** Pick index i with probability proportional to weights[i] (all >= 0, some > 0). */
export function pickWeighted(weights: readonly number[], rng: Rng): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** Softmax choice over scores: temperature 0 = always the best (first best on ties). */
export function pickSoftmax(scores: readonly number[], temperature: number, rng: Rng): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if ((scores[i] as number) > (scores[best] as number)) best = i;
  if (temperature <= 0) return best;
  const top = scores[best] as number;
  return pickWeighted(scores.map((s) => Math.exp((s - top) / temperature)), rng);
}

/**
 * A personality's pick among scored moves: with chance `blunderRate` a random move (a
 * "blunder", reported so the reason can say "hunch"), else softmax with `temperature`.
 */
export function pickPersonal(scores: readonly number[], p: { temperature: number; blunderRate: number }, rng: Rng): { pick: number; blunder: boolean } {
  if (p.blunderRate > 0 && rng() < p.blunderRate) return { pick: Math.floor(rng() * scores.length), blunder: true };
  return { pick: pickSoftmax(scores, p.temperature, rng), blunder: false };
}
