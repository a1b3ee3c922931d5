import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one event-stream instance (own registry: tests run several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mt_es_' });
  const m = {
    registry,
    connections: new Gauge({ name: 'mt_es_connections', help: 'Open WebSocket connections', registers: [registry] }),
    subscriptions: new Gauge({ name: 'mt_es_subscriptions', help: 'Socket subscriptions (socket × topic)', registers: [registry] }),
    topics: new Gauge({ name: 'mt_es_topics', help: 'Topics this process is subscribed to on the bus', registers: [registry] }),
    eventsIn: new Counter({ name: 'mt_es_events_in_total', help: 'Events received from the bus', registers: [registry] }),
    eventsOut: new Counter({ name: 'mt_es_events_out_total', help: 'Event messages sent to sockets (live and replayed)', registers: [registry] }),
    invalidEvents: new Counter({ name: 'mt_es_invalid_bus_events_total', help: 'Bus messages dropped because they are not valid events (never sent to sockets)', registers: [registry] }),
    replayed: new Counter({ name: 'mt_es_events_replayed_total', help: 'Events sent from the replay buffer', registers: [registry] }),
    resyncs: new Counter({ name: 'mt_es_resyncs_total', help: 'resync messages sent (buffer did not reach back)', registers: [registry] }),
    gapFills: new Counter({ name: 'mt_es_gap_fills_total', help: 'Live gaps filled from the replay buffer', registers: [registry] }),
    slowConsumers: new Counter({ name: 'mt_es_dropped_slow_consumers_total', help: 'Sockets closed 4008 (send buffer over the bound)', registers: [registry] }),
    messagesIn: new Counter({ name: 'mt_es_messages_in_total', help: 'Client messages received', registers: [registry] }),
    errors: new Counter({ name: 'mt_es_errors_total', help: 'error messages sent, by code', labelNames: ['code'] as const, registers: [registry] }),
    closes: new Counter({ name: 'mt_es_closes_total', help: 'Connections closed by the server, by code', labelNames: ['code'] as const, registers: [registry] }),
  };
  return m;
}
export type Metrics = ReturnType<typeof createMetrics>;
