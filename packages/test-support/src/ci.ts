/**
 * "Skip locally, fail under CI": a test that needs an outside tool or service reads it
 * through here. Present → its value. Missing on a laptop → undefined and a printed reason
 * (the caller skips). Missing under CI=true → an error, so CI never passes by skipping.
 */
export function requiredUnderCi(name: string, what: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  if (value) return value;
  if (env.CI === 'true') throw new Error(`${name} is not set: ${what} cannot run, and CI=true requires it`);
  console.warn(`[test] ${name} not set: skipping ${what}`);
  return undefined;
}

export const underCi = (env: NodeJS.ProcessEnv = process.env) => env.CI === 'true';
