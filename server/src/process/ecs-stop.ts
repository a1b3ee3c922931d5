// Issue 25: on ECS a task behind a load balancer is stopped in this order: its target is
// deregistered, the ALB keeps the open connections for the deregistration delay and then
// CUTS them, and only then does ECS send SIGTERM. A drain that starts at SIGTERM is too
// late for WebSockets: the "restarting" close (1012) it spreads over DRAIN_SECONDS goes to
// sockets the ALB has already closed, and every client of the task reconnects at once.
//
// ECS does tell the task earlier: from the moment it decides to stop a task, the task
// metadata endpoint (ECS_CONTAINER_METADATA_URI_V4, on every Fargate task) reports
// DesiredStatus STOPPED. Watching it lets the event-stream begin its drain when the target
// is deregistered, finish it inside the deregistration delay, and exit before the ALB
// would cut anything (docs/operations.md, "During a deploy": the numbers).

/** The event-stream's poll interval: part of its drain budget (docs/operations.md). */
export const ECS_STOP_POLL_MS = 2000;

export interface EcsStopWatchOptions {
  /** ECS_CONTAINER_METADATA_URI_V4; undefined (not on ECS): nothing is watched. */
  metadataUri: string | undefined;
  /** How often to ask; the drain starts at most this late. */
  intervalMs: number;
  /** Called once, when ECS wants the task stopped. */
  onStop: () => void;
  log?: { warn(obj: object, msg: string): void };
}

/** Polls the task metadata until DesiredStatus is STOPPED; returns a function that stops watching. */
export function watchEcsTaskStop(o: EcsStopWatchOptions): () => void {
  if (!o.metadataUri) return () => {};
  const url = `${o.metadataUri.replace(/\/+$/, '')}/task`;
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  let warned = false;
  const poll = async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(500, o.intervalMs)) });
      const task = (await res.json()) as { DesiredStatus?: unknown };
      if (!done && task.DesiredStatus === 'STOPPED') {
        done = true;
        o.onStop();
        return;
      }
    } catch (err) {
      // The endpoint is local to the task; a failure is unusual and not fatal: SIGTERM still
      // starts the drain (later, as before). Said once, not every interval.
      if (!warned) o.log?.warn({ err: (err as Error).message, url }, 'task metadata unreachable: the drain will start at SIGTERM');
      warned = true;
    }
    if (!done) timer = setTimeout(() => void poll(), o.intervalMs).unref();
  };
  timer = setTimeout(() => void poll(), o.intervalMs).unref();
  return () => {
    done = true;
    if (timer) clearTimeout(timer);
  };
}
