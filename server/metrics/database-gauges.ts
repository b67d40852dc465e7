import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { jobsOldestDueSeconds, jobsWaiting, outboxBacklog } from './metrics.js';

/**
 * The gauges that are facts of the database, read at each scrape (two grouped reads over the
 * pending rows' partial indexes): the jobs waiting by kind (and how many are due, how long the
 * oldest due one has waited), and the outbox deliveries not yet delivered.
 */
export async function readDatabaseGauges(db: Database, now: Date) {
  const at = now.toISOString();
  const [jobs, outbox] = await Promise.all([
    db.execute<{ kind: string; waiting: number; due: number; oldest: number | null }>(sql`
      select kind, count(*)::int as waiting,
        count(*) filter (where run_at <= ${at}::timestamptz)::int as due,
        extract(epoch from ${at}::timestamptz - min(run_at) filter (where run_at <= ${at}::timestamptz))::float8 as oldest
      from jobs where status = 'pending' group by kind`),
    db.execute<{ n: number; oldest: number | null }>(sql`
      select count(*)::int as n, extract(epoch from ${at}::timestamptz - min(e.occurred_at))::float8 as oldest
      from outbox_deliveries d join outbox_events e on e.id = d.event_id where d.status = 'pending'`),
  ]);
  jobsWaiting.reset();
  jobsOldestDueSeconds.reset();
  for (const j of jobs) {
    jobsWaiting.set({ kind: j.kind, due: 'false' }, j.waiting - j.due);
    jobsWaiting.set({ kind: j.kind, due: 'true' }, j.due);
    jobsOldestDueSeconds.set({ kind: j.kind }, j.oldest ?? 0);
  }
  outboxBacklog.set({ measure: 'deliveries' }, outbox[0]?.n ?? 0);
  outboxBacklog.set({ measure: 'oldest_seconds' }, outbox[0]?.oldest ?? 0);
}
