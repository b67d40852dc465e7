/**
 * Prometheus metrics (issue 19 part 6, docs/operations.md). One registry per process: a process
 * is one scrape target, and the figures of every server a test starts in it add up, as they
 * would in the process. Counters and histograms are observed where the thing happens (the
 * bidding engine, the publisher, the job runner, the ledger, the HTTP layer); the gauges that
 * are facts of the database (jobs waiting, outbox backlog) are read from it at each scrape.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'lastmile_' });

/** Seconds: the buckets cover a fast acknowledgement (5 ms) to a slow page (5 s). */
const LATENCY = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const httpDuration = new Histogram({
  name: 'lastmile_http_request_duration_seconds',
  help: 'HTTP request latency by route pattern, method and status class',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY,
  registers: [registry],
});

export const bidsDecided = new Counter({
  name: 'lastmile_bids_decided_total',
  help: 'Bids decided by the engine, accepted or refused with the refusal reason',
  labelNames: ['outcome', 'reason'] as const,
  registers: [registry],
});

export const bidAckSeconds = new Histogram({
  name: 'lastmile_bid_ack_seconds',
  help: 'From the bid reaching the server to its answer (decided and committed)',
  buckets: LATENCY,
  registers: [registry],
});

export const broadcastSeconds = new Histogram({
  name: 'lastmile_bid_broadcast_seconds',
  help: "From a log entry's acceptance to its batch written to every watching socket of this process",
  buckets: LATENCY,
  registers: [registry],
});

export const socketsConnected = new Gauge({
  name: 'lastmile_sockets_connected',
  help: 'Socket.IO connections held by this process',
  registers: [registry],
});

export const jobRuns = new Counter({
  name: 'lastmile_job_runs_total',
  help: 'Job attempts by kind and outcome (done, retry, failed)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const jobLateness = new Histogram({
  name: 'lastmile_job_lateness_seconds',
  help: 'From a job being due to its claim, by kind',
  labelNames: ['kind'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const jobsWaiting = new Gauge({
  name: 'lastmile_jobs_waiting',
  help: 'Pending jobs by kind, and how many of them are due (read from the database at the scrape)',
  labelNames: ['kind', 'due'] as const,
  registers: [registry],
});

export const jobsOldestDueSeconds = new Gauge({
  name: 'lastmile_jobs_oldest_due_seconds',
  help: 'How long the oldest due pending job of each kind has waited (read at the scrape)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const ledgerPostingErrors = new Counter({
  name: 'lastmile_ledger_posting_errors_total',
  help: 'Ledger postings refused or failed, by error code',
  labelNames: ['code'] as const,
  registers: [registry],
});

export const outboxBacklog = new Gauge({
  name: 'lastmile_outbox_backlog',
  help: 'Outbox deliveries not yet delivered, and the age of the oldest (read at the scrape)',
  labelNames: ['measure'] as const,
  registers: [registry],
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A request's path as a route pattern: ids become `:id`, so one auction page is one series,
 * not one per auction. Static assets fold into one series; anything deeper than four segments is
 * cut there (a label's values must stay few).
 */
export function routeOf(path: string): string {
  if (path.startsWith('/assets/')) return '/assets/*';
  const parts = path
    .replace(UUID, ':id')
    .split('/')
    .filter(Boolean)
    .slice(0, 4)
    .map((p) => (/^\d+$/.test(p) ? ':n' : p.length > 40 ? ':long' : p));
  return `/${parts.join('/')}`;
}
