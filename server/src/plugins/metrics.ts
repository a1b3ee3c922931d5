import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MovePhase, PhaseClock } from '../games/pipeline/phases.js';

/** One registry per server instance (tests run several in one process). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly moves = new Counter({
    name: 'monkeytown_moves_total',
    help: 'Moves committed, by game type and by who moved',
    labelNames: ['type', 'by'],
    registers: [this.registry],
  });
  readonly aiThink = new Histogram({
    name: 'monkeytown_ai_think_seconds',
    help: 'Time an agent spent searching in a worker, by agent and game type',
    labelNames: ['agent', 'type'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  readonly outboxBacklog = new Gauge({
    name: 'monkeytown_outbox_backlog',
    help: 'Outbox rows not yet published to the bus (as seen by the last relay pass)',
    registers: [this.registry],
  });
  readonly outboxPublished = new Counter({
    name: 'monkeytown_outbox_published_total',
    help: 'Outbox rows published to the bus',
    registers: [this.registry],
  });
  readonly outboxFailures = new Counter({
    name: 'monkeytown_outbox_publish_failures_total',
    help: 'Relay passes whose publish failed (rows stay for the next pass)',
    registers: [this.registry],
  });
  readonly deadlines = new Counter({
    name: 'monkeytown_game_deadlines_total',
    help: 'Games ended by a passed deadline (flag scheduler), by result reason (timeout, abandoned)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly moveBatch = new Histogram({
    name: 'monkeytown_move_batch_size',
    help: 'Moves written per group-commit batch (one statement or transaction)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * MOVE_PHASE_TIMING only (games/pipeline/phases.ts): `monkeytown_move_phase_seconds`
   * by phase, registered when asked for (absent from /metrics otherwise). Fine buckets:
   * the phases of a move at G = 50 are a few milliseconds each.
   */
  phaseClock(): PhaseClock {
    const h = new Histogram({
      name: 'monkeytown_move_phase_seconds',
      help: 'Time a batched command spent in each phase of the pipeline (debug: MOVE_PHASE_TIMING)',
      labelNames: ['phase'],
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.008, 0.01, 0.012, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    });
    const children = new Map<MovePhase, ReturnType<typeof h.labels>>();
    return {
      observe: (phase, ms) => {
        let c = children.get(phase);
        if (!c) children.set(phase, (c = h.labels(phase)));
        c.observe(ms / 1000);
      },
    };
  }
}

/**
 * http_request_duration_seconds.observe by method, route and status, with each label
 * set's child kept (prom-client's labels() hashes the label values on every call).
 */
export function durationRecorder(metrics: Metrics): (method: string, route: string, status: number, seconds: number) => void {
  const children = new Map<string, ReturnType<Metrics['httpDuration']['labels']>>();
  return (method, route, status, seconds) => {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = metrics.httpDuration.labels(method, route, String(status));
      children.set(key, child);
    }
    child.observe(seconds);
  };
}
