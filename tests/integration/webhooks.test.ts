import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { outboxAttempts, outboxDeliveries } from '../../db/schema/outbox';
import { listingTopic } from '../../server/auctions/outbound';
import type { Actor } from '../../server/identity/permissions';
import { createLogger } from '../../server/logger';
import { createDispatcher, type Dispatcher } from '../../server/outbox/dispatcher';
import { WEBHOOK_TOPICS } from '../../server/outbox/events';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifySignature } from '../../server/outbox/signing';
import { actorFor, assetInput, caseInput, courtStaff, listingInput } from '../support/court';
import { createTestDatabase } from '../support/db';
import { caught, testConfig } from '../support/fixtures';
import { moneyWorld } from '../support/money';

/**
 * Webhooks end to end below the page (ADR 023): real listings change state through the real
 * services, the outbox's dispatcher posts to a real HTTP receiver started here, which checks the
 * signature as docs/webhooks.md tells a court's system to.
 */
interface Received {
  path: string;
  id: string;
  topic: string;
  subjectId: string;
  verified: boolean;
  body: Record<string, unknown>;
}

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;
let receiver: Server;
let base: string;
const received: Received[] = [];
/** Paths answering 503 while listed here (a receiver that is down). */
const down = new Set<string>();
const secrets = new Map<string, string>();
let dispatcher: Dispatcher;
let courtAdmin: Actor;
let otherAdmin: Actor & { courtId: string };
let ours: { id: string; secret: string };
let theirs: { id: string; secret: string };

beforeAll(async () => {
  db = await createTestDatabase();
  // The receivers below listen on 127.0.0.1: allowed explicitly, as a deployment would (ADR 028).
  w = await moneyWorld(db, { config: testConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }) });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (down.has(path)) {
        res.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw);
      received.push({
        path,
        id: String(req.headers[EVENT_ID_HEADER.toLowerCase()]),
        topic: body.topic,
        subjectId: body.data.subject.id,
        verified: verifySignature(
          secrets.get(path) ?? '',
          req.headers[SIGNATURE_HEADER.toLowerCase()] as string,
          raw,
          w.time.clock(),
        ),
        body,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  dispatcher = createDispatcher({
    db: db.db,
    clock: w.time.clock,
    logger: createLogger(w.config),
    piiKey: w.services.piiKey,
    retryBaseMs: 1_000,
  });
  courtAdmin = await actorFor(w.services, 'court-admin@demo.lastmile.test');
  otherAdmin = await courtStaff(db.db, { code: '青0199', parentCode: '青01', roles: ['court_admin'] });
  ours = await w.services.webhooks.register(courtAdmin, {
    name: '案管系统',
    url: `${base}/ours`,
    topics: [...WEBHOOK_TOPICS],
  });
  secrets.set('/ours', ours.secret);
  theirs = await w.services.webhooks.register(otherAdmin, {
    name: 'other court',
    url: `${base}/theirs`,
    topics: [...WEBHOOK_TOPICS],
  });
  secrets.set('/theirs', theirs.secret);
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  await db.drop();
});

const at = (path: string) => received.filter((r) => r.path === path);

/** An announced listing of the other court (青0199), by its own clerk and panel member. */
async function otherListing() {
  const clerk = await courtStaff(db.db, { code: '青0199', parentCode: '青01', roles: ['court_clerk'] });
  const panel = await courtStaff(db.db, { code: '青0199', parentCode: '青01', roles: ['court_panel'] });
  const c = await w.services.cases.createCase(clerk, caseInput('青0199'));
  const asset = await w.services.cases.createAsset(clerk, c.id, assetInput());
  const draft = await w.services.listings.createDraft(
    clerk,
    asset.id,
    listingInput(w.time.clock(), { purchaseRestricted: false, priorityPurchasers: [] }),
  );
  await w.services.listings.submit(clerk, draft.id);
  return { listing: await w.services.listings.approve(panel, draft.id) };
}

describe('webhooks (ADR 023)', () => {
  it('a listing published, started, extended by a late bid and sold reaches its court signed, in order, once each', async () => {
    const { listing } = await w.announcedListing();
    w.time.set(listing.startsAt);
    await w.runner.runDue();
    const a = await w.quickBidder(listing.id);
    const b = await w.quickBidder(listing.id);
    const START = listing.startingPriceFen;
    expect(
      await w.services.bidding.placeBid(a.bidder, listing.id, {
        amountFen: String(START),
        clientKey: randomUUID(),
      }),
    ).toMatchObject({ accepted: true, extended: false });
    // Art. 20: a bid in the last five minutes moves the end.
    w.time.set(new Date(listing.endsAt.getTime() - 60_000));
    const late = await w.services.bidding.placeBid(b.bidder, listing.id, {
      amountFen: String(START + listing.incrementFen),
      clientKey: randomUUID(),
    });
    expect(late).toMatchObject({ accepted: true, extended: true });
    w.time.set(new Date(listing.endsAt.getTime() + 10 * 60_000));
    await w.runner.runDue();

    await dispatcher.drain();
    const mine = at('/ours').filter((r) => r.subjectId === listing.id);
    expect(mine.map((r) => r.topic)).toEqual([
      'listing.published',
      'listing.started',
      'listing.extended',
      'listing.sold',
    ]);
    expect(mine.every((r) => r.verified)).toBe(true);
    expect(new Set(mine.map((r) => r.id)).size).toBe(4);
    expect(mine.at(-1)!.body.data).toMatchObject({
      outcome: 'sold',
      priceFen: String(START + listing.incrementFen),
    });
    // The other court's endpoint received none of this court's events.
    expect(at('/theirs')).toEqual([]);
    // A signature under another secret, or over a changed body, does not verify.
    const one = mine[0]!;
    const raw = JSON.stringify(one.body);
    expect(verifySignature(theirs.secret, `t=1,v1=${'0'.repeat(64)}`, raw, w.time.clock())).toBe(false);
  });

  it("another court's listing goes to its endpoint only", async () => {
    const before = at('/ours').length;
    const { listing } = await otherListing();
    await dispatcher.drain();
    expect(at('/ours').length).toBe(before);
    expect(at('/theirs').map((r) => [r.topic, r.subjectId])).toEqual([['listing.published', listing.id]]);
    expect(at('/theirs')[0]!.verified).toBe(true);
  });

  it('a receiver that is down gets retries with a doubling backoff, and the events behind wait their turn', async () => {
    down.add('/ours');
    const first = (await w.announcedListing()).listing;
    const second = (await w.announcedListing()).listing;
    expect(await dispatcher.drain()).toBe(1); // the first fails; the second is not tried
    expect(await dispatcher.drain()).toBe(0); // not due before its backoff
    w.time.advance(1_000);
    expect(await dispatcher.drain()).toBe(1); // fails again
    w.time.advance(1_000);
    expect(await dispatcher.drain()).toBe(0); // now 2 s
    w.time.advance(1_000);
    expect(await dispatcher.drain()).toBe(1);
    down.delete('/ours');
    w.time.advance(4_000);
    await dispatcher.drain();
    const got = at('/ours').filter((r) => r.subjectId === first.id || r.subjectId === second.id);
    expect(got.map((r) => r.subjectId)).toEqual([first.id, second.id]);
    const [d] = await db.db.select().from(outboxDeliveries).where(eq(outboxDeliveries.eventId, got[0]!.id));
    const attempts = await db.db
      .select()
      .from(outboxAttempts)
      .where(eq(outboxAttempts.deliveryId, d!.id))
      .orderBy(asc(outboxAttempts.attempt));
    expect(attempts.map((x) => x.statusCode)).toEqual([503, 503, 503, 204]);
    const gaps = attempts.slice(1).map((x, i) => x.at.getTime() - attempts[i]!.at.getTime());
    expect(gaps).toEqual([1_000, 2_000, 4_000]);
    expect(d).toMatchObject({ status: 'delivered', attempts: 4 });
  });

  it('the delivery log shows each delivery; re-send posts it again with the same event id; another court cannot', async () => {
    const log = await w.services.webhooks.deliveryLog(courtAdmin, ours.id);
    const last = log.deliveries[0]!;
    expect(last).toMatchObject({ status: 'delivered', can: { resend: true } });
    expect(last.lastAttempt?.statusCode).toBe(204);
    expect((await caught(w.services.webhooks.deliveryLog(otherAdmin, ours.id))).code).toBe('not_found');
    expect((await caught(w.services.webhooks.resend(otherAdmin, ours.id, last.id))).code).toBe('not_found');

    const before = at('/ours').filter((r) => r.id === last.eventId).length;
    expect(await w.services.webhooks.resend(courtAdmin, ours.id, last.id)).toEqual({ resent: true });
    // Twice in a row changes nothing: it is already on its way.
    expect(await w.services.webhooks.resend(courtAdmin, ours.id, last.id)).toEqual({ resent: false });
    await dispatcher.drain();
    const again = at('/ours').filter((r) => r.id === last.eventId);
    expect(again.length).toBe(before + 1);
    expect(again.at(-1)!.verified).toBe(true);
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.action, 'webhook.resent'));
    expect(audit).toHaveLength(1);
  });

  it('a removed endpoint and a suspended court receive nothing more', async () => {
    const admin = await actorFor(w.services, 'admin@demo.lastmile.test');
    await w.services.organisations.suspend(admin, otherAdmin.courtId, { reason: '测试' });
    // Its listings still move (a timed job, say); its endpoint is owed nothing while it is suspended.
    const { listing } = await otherListing();
    const owed = await db.sql`select d.id from outbox_deliveries d join outbox_events e on e.id = d.event_id
      where e.payload->'subject'->>'id' = ${listing.id}`;
    expect(owed).toHaveLength(0);
    await w.services.webhooks.remove(courtAdmin, ours.id);
    const before = received.length;
    await w.announcedListing();
    await dispatcher.drain();
    expect(received.length).toBe(before);
    expect((await w.services.webhooks.list(courtAdmin))[0]).toMatchObject({
      active: false,
      can: { remove: false },
    });
  });

  it('registration refuses bad input and other roles, and changes nothing', async () => {
    const clerk = w.clerk;
    expect(
      (
        await caught(
          w.services.webhooks.register(clerk, { name: 'x', url: `${base}/x`, topics: ['listing.sold'] }),
        )
      ).code,
    ).toBe('forbidden');
    for (const bad of [
      { name: 'x', url: 'ftp://example.test/hook', topics: ['listing.sold'] },
      { name: 'x', url: 'https://user:pw@example.test/hook', topics: ['listing.sold'] },
      { name: 'x', url: 'https://example.test/hook', topics: [] },
      { name: 'x', url: 'https://example.test/hook', topics: ['credit.listing.published'] },
      { name: '', url: 'https://example.test/hook', topics: ['listing.sold'] },
    ])
      expect((await caught(w.services.webhooks.register(courtAdmin, bad))).code).toBe('validation');
    expect(await w.services.webhooks.list(courtAdmin)).toHaveLength(1);
  });

  it('every status a court follows maps to its topic', () => {
    expect(listingTopic('pending_approval', 'announced', null)).toBe('listing.published');
    expect(listingTopic('announced', 'live', null)).toBe('listing.started');
    expect(listingTopic('suspended', 'live', null)).toBe('listing.resumed');
    expect(listingTopic('live', 'suspended', null)).toBe('listing.suspended');
    expect(listingTopic('live', 'ended', 'failed')).toBe('listing.failed');
    expect(listingTopic('live', 'ended', 'sold')).toBe('listing.sold');
    expect(listingTopic('draft', 'pending_approval', null)).toBeNull();
  });
});
