import { inArray, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import { aidPolicies } from '../../db/schema/aid.js';
import { organisations, users } from '../../db/schema/identity.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { AID_DEMO, seedAidHistory } from './seed-aid-history.js';
import { seedLiveClaims } from './seed-aid-live.js';
import { seedAidPayouts } from './seed-aid-payouts.js';

export { AID_DEMO };

/**
 * Demo enforcement aid, run once (skipped when any aid policy exists):
 *
 * 1. Four past years of history for 青0104 and 青01 with PICC Qinghai: 573 cases, 810 creditors
 *    paid exactly ¥12,846,400, 64 claims refused or declined. Written in bulk (a few thousand
 *    rows a second matter at start-up), but exactly as the services would have left them: the
 *    same statuses, timeline events with one audit entry per transition, payment batches
 *    prepared and approved by two people, and every ledger movement (policy limit opened,
 *    award reserved, sent, confirmed) as balanced double-entry transactions.
 * 2. This year's policies and a dozen live claims in every waiting state, made through the
 *    real services (with the clock moved back where a claim must be overdue), so the queues,
 *    countdowns and payment screens have something to show.
 */
export async function seedDemoAid({ db, config, logger }: { db: DbHandle; config: Config; logger: Logger }) {
  const [existing] = await db.db.select({ n: sql<number>`count(*)::int` }).from(aidPolicies);
  if ((existing?.n ?? 0) > 0) return 0;
  const started = performance.now();
  const orgRows = await db.db
    .select()
    .from(organisations)
    .where(inArray(organisations.code, ['青0104', '青01', 'picc-qh']));
  const org = (code: string) => orgRows.find((o) => o.code === code)!;
  const userRows = await db.db
    .select()
    .from(users)
    .where(
      inArray(users.email, [
        'clerk@demo.lastmile.test',
        'panel@demo.lastmile.test',
        'clerk.xining@demo.lastmile.test',
        'panel.xining@demo.lastmile.test',
        'adjuster@demo.lastmile.test',
        'insurer@demo.lastmile.test',
      ]),
    );
  const user = (email: string) => userRows.find((u) => u.email === `${email}@demo.lastmile.test`)!;
  if (orgRows.length < 3 || userRows.length < 6) return 0;
  const insurer = org('picc-qh');
  const courts = [
    { court: org('青0104'), clerk: user('clerk'), panel: user('panel') },
    { court: org('青01'), clerk: user('clerk.xining'), panel: user('panel.xining') },
  ];
  const adjuster = user('adjuster');
  const manager = user('insurer');
  const thisYear = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
  const years = [thisYear - 4, thisYear - 3, thisYear - 2, thisYear - 1];

  await db.db.transaction(async (tx) => {
    // The re-search after 终本 runs on the profile's clock (accelerated demos shrink it).
    const researchFactor = config.RULES_PROFILE === 'accelerated' ? config.RULES_ACCELERATION_FACTOR : 1;
    const world = { insurer, courts, adjuster, manager, thisYear, years, researchFactor };
    await seedAidPayouts(tx, world, await seedAidHistory(tx, world));
  });
  logger.info({ ms: Math.round(performance.now() - started) }, 'demo aid history seeded');

  await seedLiveClaims({ db, config, logger, thisYear, courtIds: courts.map((c) => c.court.id) });
  return AID_DEMO.people;
}
