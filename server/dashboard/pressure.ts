import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { beijingDateOf } from '../cases/time-limit.js';

/**
 * Where the pressure on debtors shows on the court's landing page (issue 18 §5): the debtors it
 * has on the published list, the restriction orders in force, its bounty notices running now and
 * the tips waiting for its review. One statement, scoped to the court.
 */
export async function pressureCounts(db: Database, courtId: string, now: Date) {
  const today = beijingDateOf(now);
  const [row] = await db.execute<{ listed: number; restricted: number; bounties: number; tips: number }>(sql`
    select
      (select count(*)::int from credit_listings where court_id = ${courtId} and status = 'published') as listed,
      (select count(*)::int from credit_restrictions where court_id = ${courtId} and status = 'in_force') as restricted,
      (select count(*)::int from bounty_notices where court_id = ${courtId} and status = 'published'
         and publish_from <= ${today}::date and publish_until >= ${today}::date) as bounties,
      (select count(*)::int from bounty_tips where court_id = ${courtId} and status = 'received') as tips`);
  return row ?? { listed: 0, restricted: 0, bounties: 0, tips: 0 };
}
