/**
 * A best line for a game whose search returns only root scores: the first move, then the
 * best answer to it from a cheaper search, `length` moves in all (stops at the game's end).
 */
export function greedyLine<S, M>(
  state: S,
  first: M,
  length: number,
  apply: (s: S, m: M) => S,
  bestOf: (s: S) => M | null,
): M[] {
  const line = [first];
  let s = apply(state, first);
  while (line.length < length) {
    const m = bestOf(s);
    if (m === null) break;
    line.push(m);
    s = apply(s, m);
  }
  return line;
}

/** The winning chance for a score on a game's heuristic scale: a logistic curve. */
export const logistic = (score: number, scale: number): number => 1 / (1 + Math.exp(-score / scale));

/** "I connect" / "you connect" / "Red connects": the verb after a side's name. */
export function verb(subject: string, base: string, third: string): string {
  return subject === 'I' || subject === 'you' ? `${subject} ${base}` : `${subject} ${third}`;
}

export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
