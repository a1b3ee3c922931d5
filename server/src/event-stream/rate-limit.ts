/**
 * A socket's message rate limit: `perSecond` messages a second, in bursts of twice that
 * (a token bucket), kept as one number per socket, the time by which the messages so far
 * are paid for (the generic cell rate algorithm). A bucket's two numbers (tokens, last
 * refill) were two boxed doubles on every idle socket.
 */

/** The limit's clock: ms since the process started, a small integer for weeks. */
const EPOCH = Date.now();
export const clock = (): number => Date.now() - EPOCH;

/** The new "paid until" if one more message at `now` is allowed, else null. */
export function paidUntil(paid: number, now: number, perSecond: number): number | null {
  const every = 1000 / perSecond;
  const from = Math.max(paid, now);
  // A full bucket holds 2·perSecond: the next message may start that many minus one ahead.
  if (from - now > (2 * perSecond - 1) * every) return null;
  return from + every;
}
