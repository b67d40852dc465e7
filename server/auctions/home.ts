/**
 * The home page's marketplace (issue 21 part 1): what is live now, ending soon, starting soon
 * and newly announced, the listings by asset type and by region with their counts, and the
 * platform's running figures. Public: only published announcements (art. 12), and nothing of a
 * bidder but counts (art. 18). One read for the page; each section is one indexed query.
 */
import { and, asc, desc, eq, gt, inArray, lte, notInArray, type SQL, sql } from 'drizzle-orm';
import { follows, listings } from '../../db/schema/auctions.js';
import { organisations } from '../../db/schema/identity.js';
import { parseInput } from '../validation.js';
import type { ListingDeps } from './deps.js';
import { cardColumns, facetsOf } from './listing-search.js';
import { publicStatus } from './rules.js';
import { SearchSchema } from './schemas.js';

/** Cards per section: a row a phone swipes through, a desktop shows in two lines. */
export const HOME_SECTION_SIZE = 6;

export async function homePage(deps: ListingDeps, size = HOME_SECTION_SIZE) {
  const now = deps.clock();
  // Published: approved and its announcement out (art. 12), as the search reads it.
  const published = and(
    notInArray(listings.status, ['draft', 'pending_approval']),
    lte(listings.announceAt, now),
  );
  const section = (where: SQL | undefined, ...order: SQL[]) =>
    deps.db
      .select(cardColumns)
      .from(listings)
      .innerJoin(organisations, eq(organisations.id, listings.courtId))
      .where(and(published, where))
      .orderBy(...order, asc(listings.id))
      .limit(size)
      .then((rows) => rows.map((r) => ({ ...r, publicStatus: publicStatus(r.status, r.outcome) })));
  const live = eq(listings.status, 'live');

  const [liveNow, endingSoon, startingSoon, newlyAnnounced, figures, watching, counted] = await Promise.all([
    // The busiest first: where the bidding is.
    section(live, desc(listings.bidCount), asc(listings.currentEndAt)),
    // By the end as extensions moved it (art. 20).
    section(live, asc(listings.currentEndAt)),
    // Bidding not open yet, the nearest start first; a start already due is the job runner's next.
    section(and(eq(listings.status, 'announced'), gt(listings.startsAt, now)), asc(listings.startsAt)),
    // The latest announcements still ahead of their bidding.
    section(eq(listings.status, 'announced'), desc(listings.announceAt)),
    deps.db
      .select({
        held: sql<number>`count(*) filter (where ${listings.status} = 'ended')::int`,
        sold: sql<number>`count(*) filter (where ${listings.status} = 'ended' and ${listings.outcome} = 'sold')::int`,
        // The sale prices as the engine left them (ADR 013: a total over many auctions reads the columns).
        soldFen: sql<string>`coalesce(sum(${listings.currentPriceFen}) filter (where ${listings.status} = 'ended' and ${listings.outcome} = 'sold'), 0)::text`,
        live: sql<number>`count(*) filter (where ${listings.status} = 'live')::int`,
        upcoming: sql<number>`count(*) filter (where ${listings.status} = 'announced')::int`,
      })
      .from(listings)
      .where(published),
    // 关注 on auctions still open (ADR 027): people waiting for a start or an end.
    deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(follows)
      .innerJoin(listings, eq(listings.id, follows.listingId))
      .where(and(published, inArray(listings.status, ['announced', 'live']))),
    // The search's own facets with no filter: each count is what that link finds (ADR 020).
    facetsOf(deps, parseInput(SearchSchema, {}), null),
  ]);
  const f = figures[0]!;
  return {
    liveNow,
    endingSoon,
    startingSoon,
    newlyAnnounced,
    byType: counted.facets.type,
    byRegion: counted.facets.region.values,
    figures: {
      held: f.held,
      sold: f.sold,
      soldFen: BigInt(f.soldFen),
      live: f.live,
      upcoming: f.upcoming,
      following: watching[0]?.n ?? 0,
    },
    serverTime: now,
  };
}
