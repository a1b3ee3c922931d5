// Shared by the container/stack tests: prerequisites that are a printed skip on a
// developer's machine but a failure in CI (CI=true), per the team rules.
import { describe, it } from 'vitest';

export const IN_CI = process.env.CI === 'true';

/**
 * Returns true when the suite can run. Otherwise: in CI registers a failing test naming
 * what is missing; locally prints the reason and returns false (the caller skips).
 */
export function prerequisites(what: string, missing: string[]): boolean {
  if (missing.length === 0) return true;
  const reason = `${what}: missing ${missing.join(', ')}`;
  if (IN_CI) {
    describe(`${what} (prerequisites)`, () => {
      it('has everything it needs (CI=true makes a missing one a failure)', () => {
        throw new Error(reason);
      });
    });
  } else {
    console.warn(`[e2e skip] ${reason} (this is a failure when CI=true)`);
  }
  return false;
}
