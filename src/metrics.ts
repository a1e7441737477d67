// Prometheus metrics (prom-client: the standard exposition format and default process metrics).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly writes = new Counter({ name: 'meshgate_writes_total', help: 'API writes by kind, verb (apply, delete, status, event) and result', labelNames: ['kind', 'verb', 'result'], registers: [this.registry] });
  readonly reconciles = new Counter({ name: 'meshgate_reconciles_total', help: 'Processed reconcile keys', labelNames: ['type'], registers: [this.registry] });
  readonly translation = new Histogram({ name: 'meshgate_translation_duration_seconds', help: 'Time to apply a batch of changes to the translation engine', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [this.registry] });
  readonly watchRestarts = new Counter({ name: 'meshgate_watch_restarts_total', help: 'Watch restarts by kind and reason (relist, error, stall, timeout)', labelNames: ['kind', 'reason'], registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'meshgate_queue_depth', help: 'Keys waiting to be reconciled', registers: [this.registry] });
  readonly inFlight = new Gauge({ name: 'meshgate_writes_in_flight', help: 'Reconcile keys being processed', registers: [this.registry] });
  readonly leader = new Gauge({ name: 'meshgate_leader', help: '1 while this replica holds the lease', registers: [this.registry] });
  readonly ready = new Gauge({ name: 'meshgate_ready', help: '1 once caches are synced', registers: [this.registry] });
  readonly owned = new Gauge({ name: 'meshgate_owned_objects', help: 'Desired generated objects by kind', labelNames: ['kind'], registers: [this.registry] });
  readonly apiRequests = new Counter({ name: 'meshgate_api_requests_total', help: 'Kubernetes API requests by method and status code', labelNames: ['method', 'code'], registers: [this.registry] });

  /** Sets the gauges that mirror live state; called right before each scrape. */
  beforeScrape: () => void = () => {};

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'meshgate_' });
  }
}
