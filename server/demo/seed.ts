import type { DbHandle } from '../../db/client.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { seedDemoAccounts } from './seed-accounts.js';
import { seedDemoAid } from './seed-aid.js';
import { seedDemoAuctions } from './seed-auctions.js';
import { seedDemoCredit } from './seed-credit.js';
import { seedDemoFunds } from './seed-funds.js';
import { seedProvinceHistory } from './seed-province.js';
import { seedDemoSales } from './seed-sales.js';

/**
 * All the demo data, in the order each part needs the one before: the accounts (organisations,
 * staff, bidders), then the auctions, the sales after full payment and the enforcement aid, all
 * made by those accounts through the real services. Every part runs once and is skipped when its
 * rows exist, so calling this on every start (SEED_DEMO_DATA) or again from `npm run db:seed` adds
 * nothing the second time.
 */
export async function seedDemoData({ db, config, logger }: { db: DbHandle; config: Config; logger: Logger }) {
  const { created: accounts } = await seedDemoAccounts(
    db.db,
    Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'),
  );
  if (accounts > 0) logger.info({ created: accounts }, 'demo data seeded');
  const listings = await seedDemoAuctions({ db, config, logger });
  if (listings > 0) logger.info({ listings }, 'demo auctions seeded');
  const sales = await seedDemoSales({ db, config, logger });
  // After the sales: their cases' money is distributed (issue 16).
  await seedDemoFunds({ db, config, logger });
  const people = await seedDemoAid({ db, config, logger });
  await seedDemoCredit({ db, config, logger });
  if (people > 0) logger.info({ people }, 'demo enforcement aid seeded');
  // The province's four years behind the quality dashboard (ADR 018), on top of the aid history.
  if (config.SEED_PROVINCE_HISTORY) await seedProvinceHistory({ db, logger });
  return { accounts, listings, sales, people };
}
