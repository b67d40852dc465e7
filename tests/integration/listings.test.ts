import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingTransitions } from '../../db/schema/auctions';
import { jobs } from '../../db/schema/jobs';
import { decideListingActions } from '../../server/auctions/affordances';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { toJson } from '../../server/http/api';
import type { Actor } from '../../server/identity/permissions';
import { createJobRunner } from '../../server/jobs/runner';
import { createLogger } from '../../server/logger';
import { actorFor, assetInput, caseInput, listingInput } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, caught, fakeClock, testConfig } from '../support/fixtures';

const DAY = 86_400_000;
const config = testConfig();
const time = fakeClock(new Date('2026-03-01T02:00:00Z'));
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: ReturnType<typeof buildServices>;
let runner: ReturnType<typeof createJobRunner>;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  services = buildServices(db, { clock: time.clock, config });
  runner = createJobRunner({
    db: db.db,
    clock: time.clock,
    logger: createLogger(config),
    handlers: services.jobHandlers,
  });
});
afterAll(() => db.drop());

async function newAsset(overrides: Record<string, unknown> = {}) {
  const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
  const c = await services.cases.createCase(clerk, caseInput());
  return services.cases.createAsset(clerk, c.id, assetInput(overrides));
}

async function announced(overrides: Record<string, unknown> = {}) {
  const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
  const panel = await actorFor(services, 'panel@demo.lastmile.test');
  const asset = await newAsset();
  const draft = await services.listings.createDraft(clerk, asset.id, listingInput(time.clock(), overrides));
  await services.listings.submit(clerk, draft.id);
  const l = await services.listings.approve(panel, draft.id);
  return { clerk, panel, asset, listing: l };
}

describe('listing approval (art. 27)', () => {
  it('a clerk prepares, a different panel member approves; who and when are recorded', async () => {
    const { clerk, panel, listing } = await announced();
    expect(listing.status).toBe('announced');
    expect(listing.preparedBy).toBe(clerk.userId);
    expect(listing.approvedBy).toBe(panel.userId);
    expect(listing.approvedAt).toEqual(time.clock());
    const steps = await db.db
      .select()
      .from(listingTransitions)
      .where(eq(listingTransitions.listingId, listing.id));
    expect(steps.map((s) => s.to)).toEqual(['draft', 'pending_approval', 'announced']);
    const [start] = await db.db
      .select()
      .from(jobs)
      .where(eq(jobs.key, `listing:${listing.id}:start`));
    expect(start!.runAt).toEqual(listing.startsAt);
    // The court sees who acted, by name; the asset's rounds are one query.
    const seen = await services.listings.getForCourt(clerk, listing.id);
    expect(seen.staffNames).toEqual({ [clerk.userId]: '王书记员', [panel.userId]: '李法官' });
    const rounds = await services.listings.listForCourt(clerk, { assetId: listing.assetId });
    expect(rounds.map((l) => l.id)).toEqual([listing.id]);
  });

  it('a clerk cannot approve his own listing, nor can any clerk', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const asset = await newAsset();
    const draft = await services.listings.createDraft(clerk, asset.id, listingInput(time.clock()));
    await services.listings.submit(clerk, draft.id);
    expect((await caught(services.listings.approve(clerk, draft.id))).code).toBe('forbidden');
  });

  it('a panel member who prepared a listing cannot approve it either', async () => {
    // The rule is about the person, not the role: give one person both roles.
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const both = { ...clerk, roles: ['court_clerk', 'court_panel'] as const };
    const asset = await newAsset();
    const draft = await services.listings.createDraft(both as never, asset.id, listingInput(time.clock()));
    await services.listings.submit(both as never, draft.id);
    const e = await caught(services.listings.approve(both as never, draft.id));
    expect(e.messageKey).toBe('errors.selfApproval');
  });

  it('approval cannot skip submission, and the state machine refuses other moves with no change', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const panel = await actorFor(services, 'panel@demo.lastmile.test');
    const asset = await newAsset();
    const draft = await services.listings.createDraft(clerk, asset.id, listingInput(time.clock()));
    expect((await caught(services.listings.approve(panel, draft.id))).code).toBe('conflict');
    expect(
      (
        await caught(
          services.listings.resume(clerk, draft.id, {
            startsAt: '2026-05-01T10:00',
            endsAt: '2026-05-02T10:00',
          }),
        )
      ).code,
    ).toBe('conflict');
    const after = await services.listings.getForCourt(clerk, draft.id);
    expect(after.listing.status).toBe('draft');
    expect(after.timeline).toHaveLength(1);
  });

  it('the rules are checked at drafting with a message per field', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const asset = await newAsset();
    const e = await caught(
      services.listings.createDraft(
        clerk,
        asset.id,
        listingInput(time.clock(), { startingPrice: '699999.99', deposit: '200000' }),
      ),
    );
    expect(e.details.fieldErrors).toMatchObject({
      startingPrice: ['rules.startBelow70'],
      deposit: ['rules.depositRange'],
    });
  });

  it('lead time is re-checked against the real publication when approval comes late', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const panel = await actorFor(services, 'panel@demo.lastmile.test');
    const asset = await newAsset();
    const draft = await services.listings.createDraft(clerk, asset.id, listingInput(time.clock()));
    await services.listings.submit(clerk, draft.id);
    time.advance(DAY); // now only 29 days remain before bidding starts: art. 12 wants 30
    const e = await caught(services.listings.approve(panel, draft.id));
    expect(e.details.fieldErrors?.startsAt).toEqual(['rules.announceLead30']);
  });
});

describe('what the court may do now (affordances, ADR 010)', () => {
  const ACTIONS = [
    'submit',
    'approve',
    'returnToDraft',
    'suspend',
    'resume',
    'withdraw',
    'amend',
    'disclose',
    'offerViewing',
  ] as const;
  type Action = (typeof ACTIONS)[number];
  /** Each action with an input it accepts, so that only the decision can refuse it. */
  const run = (actor: Actor, id: string): Record<Action, () => Promise<unknown>> => ({
    submit: () => services.listings.submit(actor, id),
    approve: () => services.listings.approve(actor, id),
    returnToDraft: () => services.listings.returnToDraft(actor, id, { reason: '补充材料' }),
    suspend: () => services.listings.suspend(actor, id, { reason: '案外人异议' }),
    resume: () =>
      services.listings.resume(actor, id, {
        startsAt: new Date(time.clock().getTime() + DAY).toISOString(),
        endsAt: new Date(time.clock().getTime() + 2 * DAY).toISOString(),
      }),
    withdraw: () => services.listings.withdraw(actor, id, { reason: '已履行' }),
    amend: () => services.listings.amend(actor, id, { text: '更正' }),
    // ADR 029: the disclosure on the draft; viewings until bidding ends.
    disclose: () => services.listings.saveDisclosure(actor, id, { occupancy: 'vacant', arrears: [] }),
    offerViewing: () =>
      services.listings.offerViewingSlot(actor, id, {
        startsAt: new Date(time.clock().getTime() + DAY).toISOString(),
        endsAt: new Date(time.clock().getTime() + DAY + 3_600_000).toISOString(),
        place: '小区门口',
        capacity: '5',
      }),
  });

  it('the page is offered exactly what the service allows, and a refusal is the error the action answers', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const panel = await actorFor(services, 'panel@demo.lastmile.test');
    const both = { ...clerk, roles: ['court_clerk', 'court_panel'] as const } as unknown as Actor;
    const asset = await newAsset();
    const draft = await services.listings.createDraft(both, asset.id, listingInput(time.clock()));
    const pending = await services.listings.submit(both, draft.id);
    const other = await services.listings.createDraft(
      clerk,
      (await newAsset()).id,
      listingInput(time.clock()),
    );
    const { listing: announcedOne } = await announced();
    const { listing: withdrawnOne } = await announced();
    await services.listings.withdraw(clerk, withdrawnOne.id, { reason: '已履行' });

    expect((await services.listings.getForCourt(clerk, other.id)).can).toEqual({
      submit: true,
      approve: false,
      returnToDraft: false,
      suspend: false,
      resume: false,
      withdraw: true,
      amend: false,
      disclose: true,
      offerViewing: true,
    });
    // art. 27: the preparer is never offered the approval, whatever his roles; another member is.
    expect((await services.listings.getForCourt(both, pending.id)).can.approve).toBe(false);
    expect((await services.listings.getForCourt(panel, pending.id)).can.approve).toBe(true);
    expect((await services.listings.getForCourt(clerk, announcedOne.id)).can).toMatchObject({
      suspend: true,
      amend: true,
      resume: false,
      submit: false,
      disclose: false,
      offerViewing: true,
    });
    expect((await services.listings.getForCourt(clerk, withdrawnOne.id)).can).toEqual(
      Object.fromEntries(ACTIONS.map((a) => [a, false])),
    );

    // Every action refused to these viewers answers the very error the page was told, and changes nothing.
    for (const [viewer, id] of [
      [clerk, other.id],
      [panel, other.id],
      [both, pending.id],
      [clerk, announcedOne.id],
      [panel, withdrawnOne.id],
    ] as const) {
      const before = await services.listings.getForCourt(viewer, id);
      const decided = decideListingActions(viewer, before.listing);
      for (const action of ACTIONS) {
        const refusal = decided[action];
        if (!refusal) continue;
        const e = await caught(run(viewer, id)[action]());
        expect([action, e.code, e.messageKey, e.details.params]).toEqual([
          action,
          refusal.code,
          refusal.messageKey,
          refusal.details.params,
        ]);
      }
      const after = await services.listings.getForCourt(viewer, id);
      expect(after.timeline).toHaveLength(before.timeline.length);
      expect(after.listing.status).toBe(before.listing.status);
    }
  });

  it('resumption is for a suspended listing only: an announced one is refused even with a start in the past', async () => {
    const { clerk, listing } = await announced();
    const e = await caught(
      services.listings.resume(clerk, listing.id, {
        startsAt: new Date(time.clock().getTime() - 1000).toISOString(),
        endsAt: new Date(time.clock().getTime() + DAY).toISOString(),
      }),
    );
    expect([e.code, e.messageKey]).toEqual(['conflict', 'errors.badTransition']);
    expect((await services.listings.getForCourt(clerk, listing.id)).listing.status).toBe('announced');
  });

  it('the asset page: upload and a new round for the clerk while none is under way; its refusal says why', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const panel = await actorFor(services, 'panel@demo.lastmile.test');
    const asset = await newAsset();
    const fresh = await services.listings.getAssetForCourt(clerk, asset.id);
    expect([fresh.can, fresh.listRefusal, fresh.inProgressId]).toEqual([
      { upload: true, list: true },
      null,
      null,
    ]);
    expect(fresh.plan).toMatchObject({ available: true, kind: 'first', round: 1 });
    // A panel member neither uploads nor drafts, and is told no reason for it.
    const seenByPanel = await services.listings.getAssetForCourt(panel, asset.id);
    expect([seenByPanel.can, seenByPanel.listRefusal]).toEqual([{ upload: false, list: false }, null]);
    expect(
      (await caught(services.listings.createDraft(panel, asset.id, listingInput(time.clock())))).code,
    ).toBe('forbidden');

    const draft = await services.listings.createDraft(clerk, asset.id, listingInput(time.clock()));
    const busy = await services.listings.getAssetForCourt(clerk, asset.id);
    expect([busy.can, busy.listRefusal, busy.inProgressId]).toEqual([
      { upload: true, list: false },
      'errors.assetHasActiveListing',
      draft.id,
    ]);
    expect(busy.rounds.map((r) => r.id)).toEqual([draft.id]);
    const e = await caught(services.listings.createDraft(clerk, asset.id, listingInput(time.clock())));
    expect([e.code, e.messageKey]).toEqual(['conflict', busy.listRefusal]);
  });
});

describe('another court', () => {
  it('cannot read or act on the listing (404)', async () => {
    const { listing } = await announced();
    const other = await actorFor(services, 'clerk.xining@demo.lastmile.test');
    expect((await caught(services.listings.getForCourt(other, listing.id))).code).toBe('not_found');
    expect((await caught(services.listings.suspend(other, listing.id, { reason: 'x' }))).code).toBe(
      'not_found',
    );
  });
});

describe('by time: announced → live → ended, through durable jobs', () => {
  it('goes live at its start and ends (failed, no bid) at its end, exactly once', async () => {
    const { listing } = await announced();
    const seen: string[] = [];
    const off = services.events.on('listing.status', (e) => e.listingId === listing.id && seen.push(e.to));
    time.set(new Date(listing.startsAt.getTime() - 1));
    await runner.runDue();
    expect((await services.listings.publicListing(listing.id)).listing.status).toBe('announced');
    time.set(listing.startsAt);
    await runner.runDue();
    expect((await services.listings.publicListing(listing.id)).listing.status).toBe('live');
    time.set(new Date(listing.endsAt.getTime() - 1));
    await runner.runDue();
    expect((await services.listings.publicListing(listing.id)).listing.status).toBe('live');
    time.set(listing.endsAt);
    await runner.runDue();
    await runner.runDue();
    const ended = await services.listings.publicListing(listing.id);
    expect(ended.listing.status).toBe('ended');
    expect(ended.listing.publicStatus).toBe('failed');
    expect(seen).toEqual(['live', 'ended']);
    off();
  });
});

describe('suspension, resumption, withdrawal, amendments', () => {
  it('a suspension shows its public reason, cancels the timers; resumption restores with new times', async () => {
    const { clerk, listing } = await announced();
    await services.listings.suspend(clerk, listing.id, { reason: '案外人提出异议，暂缓拍卖' });
    let pub = await services.listings.publicListing(listing.id);
    expect(pub.listing.publicStatus).toBe('suspended');
    expect(pub.timeline.at(-1)).toMatchObject({ to: 'suspended', reason: '案外人提出异议，暂缓拍卖' });
    expect(
      await db.db
        .select()
        .from(jobs)
        .where(eq(jobs.key, `listing:${listing.id}:start`)),
    ).toMatchObject([{ status: 'cancelled' }]);
    time.set(listing.startsAt);
    await runner.runDue();
    expect((await services.listings.publicListing(listing.id)).listing.status).toBe('suspended');

    const startsAt = new Date(time.clock().getTime() + 2 * DAY);
    const short = await caught(
      services.listings.resume(clerk, listing.id, {
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + DAY - 1000).toISOString(),
      }),
    );
    expect(short.details.fieldErrors?.endsAt).toEqual(['rules.windowUnder24h']);
    await services.listings.resume(clerk, listing.id, {
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + DAY).toISOString(),
      reason: '异议已处理，恢复拍卖',
    });
    pub = await services.listings.publicListing(listing.id);
    expect(pub.listing.status).toBe('announced');
    expect(pub.listing.startsAt).toEqual(startsAt);
    time.set(startsAt);
    await runner.runDue();
    expect((await services.listings.publicListing(listing.id)).listing.status).toBe('live');
  });

  it('withdrawal is final and public', async () => {
    const { clerk, listing } = await announced();
    await services.listings.withdraw(clerk, listing.id, { reason: '被执行人已全部履行' });
    const pub = await services.listings.publicListing(listing.id);
    expect(pub.listing.publicStatus).toBe('withdrawn');
    expect(
      (
        await caught(
          services.listings.resume(clerk, listing.id, {
            startsAt: '2027-01-01T10:00',
            endsAt: '2027-01-02T10:00',
          }),
        )
      ).code,
    ).toBe('conflict');
  });

  it('a published announcement changes only through a visible amendment', async () => {
    const { clerk, listing } = await announced();
    await services.listings.amend(clerk, listing.id, {
      text: '更正看样时间',
      viewing: '每周六 9:00-11:00 看样',
    });
    const pub = await services.listings.publicListing(listing.id);
    expect(pub.listing.viewing).toBe('每周六 9:00-11:00 看样');
    expect(pub.amendments).toHaveLength(1);
    expect(pub.amendments[0]!.changes.viewing).toEqual({
      from: '预约看样：0971-1234567',
      to: '每周六 9:00-11:00 看样',
    });
  });
});

describe('rounds: re-auction and fixed-price sale (art. 26, 变卖)', () => {
  async function failRound(listing: { id: string; startsAt: Date; endsAt: Date }) {
    time.set(listing.startsAt);
    await runner.runDue();
    time.set(listing.endsAt);
    await runner.runDue();
  }

  it('chains first auction → re-auction (≤ 20% cut) → fixed-price sale, visible on the asset page', async () => {
    const { clerk, panel, asset, listing } = await announced();
    await failRound(listing);
    const now = time.clock();
    const re = (start: string, deposit: string) =>
      listingInput(now, {
        startingPrice: start,
        deposit,
        startsAt: new Date(now.getTime() + 15 * DAY).toISOString(),
        endsAt: new Date(now.getTime() + 16 * DAY).toISOString(),
      });
    const tooDeep = await caught(services.listings.createDraft(clerk, asset.id, re('559999.99', '56000')));
    expect(tooDeep.details.fieldErrors?.startingPrice).toEqual(['rules.reauctionCutOver20']);
    const plan2 = await services.listings.planNextRound(clerk, asset.id);
    expect(plan2).toMatchObject({ available: true, kind: 'reauction', round: 2, minStartFen: 56_000_000n });
    const round2 = await services.listings.createDraft(clerk, asset.id, re('560000', '56000'));
    expect(await services.listings.planNextRound(clerk, asset.id)).toEqual({
      available: false,
      reason: 'errors.assetHasActiveListing',
    });
    expect(round2.round).toBe(2);
    expect(round2.previousListingId).toBe(listing.id);
    // Only one active round at a time.
    expect(
      (await caught(services.listings.createDraft(clerk, asset.id, re('560000', '56000')))).messageKey,
    ).toBe('errors.assetHasActiveListing');
    await services.listings.submit(clerk, round2.id);
    await services.listings.approve(panel, round2.id);
    await failRound(round2);

    const n = time.clock();
    expect(await services.listings.planNextRound(clerk, asset.id)).toMatchObject({
      kind: 'fixed_price_sale',
      round: 3,
      fixedPriceFen: 56_000_000n,
      windowMs: 60 * DAY,
    });
    const sale = await services.listings.createDraft(
      clerk,
      asset.id,
      listingInput(n, {
        startingPrice: '560000',
        deposit: '560000',
        startsAt: n.toISOString(),
        endsAt: new Date(n.getTime() + 60 * DAY).toISOString(),
      }),
    );
    expect(sale.kind).toBe('fixed_price_sale');
    expect(sale.round).toBe(3);
    await services.listings.submit(clerk, sale.id);
    await services.listings.approve(panel, sale.id);
    const pub = await services.listings.publicListing(sale.id);
    expect(pub.chain.map((c) => [c.round, c.kind, c.status])).toEqual([
      [1, 'auction', 'ended'],
      [2, 'auction', 'ended'],
      [3, 'fixed_price_sale', 'announced'],
    ]);
  });

  it('a re-auction announced more than 30 days after the failure is refused', async () => {
    const { clerk, asset, listing } = await announced();
    await failRound(listing);
    time.advance(30 * DAY + 1000);
    const now = time.clock();
    const e = await caught(
      services.listings.createDraft(
        clerk,
        asset.id,
        listingInput(now, {
          startingPrice: '600000',
          deposit: '60000',
          startsAt: new Date(now.getTime() + 15 * DAY).toISOString(),
          endsAt: new Date(now.getTime() + 16 * DAY).toISOString(),
        }),
      ),
    );
    expect(e.details.fieldErrors?.announceAt).toEqual(['rules.reauctionWithin30']);
  });
});

describe('public visibility', () => {
  it('drafts and pending listings are invisible; published ones searchable by filters', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const asset = await newAsset({ title: '独一无二的测试车位 XYZ' });
    const draft = await services.listings.createDraft(clerk, asset.id, listingInput(time.clock()));
    expect((await caught(services.listings.publicListing(draft.id))).code).toBe('not_found');
    expect((await services.listings.search({ q: 'XYZ' })).total).toBe(0);
    const panel = await actorFor(services, 'panel@demo.lastmile.test');
    await services.listings.submit(clerk, draft.id);
    await services.listings.approve(panel, draft.id);
    const found = await services.listings.search({
      q: 'XYZ',
      status: 'upcoming',
      type: 'residential',
      maxPrice: '700000',
    });
    expect(found.rows.map((r) => r.id)).toEqual([draft.id]);
    expect((await services.listings.search({ q: 'XYZ', maxPrice: '699999.99' })).total).toBe(0);
    expect((await services.listings.search({ q: 'XYZ', status: 'live' })).total).toBe(0);
    const day = await services.listings.calendar(
      new Date(draft.startsAt.getTime() - 1000),
      new Date(draft.startsAt.getTime() + 1000),
    );
    expect(day.map((d) => d.id)).toContain(draft.id);
    const pub = await services.listings.publicListing(draft.id);
    expect(pub.purchasers).toEqual([{ rank: 1, rightKind: 'co_owner' }]); // no names in public
    expect(toJson(pub)).not.toContain('赵某');
  });
});

describe('default search order', () => {
  it('puts live auctions first (ending soonest), then upcoming (starting soonest), then the rest', async () => {
    const { rows } = await services.listings.search({}, 500);
    const rank = (s: string) => ({ live: 0, announced: 1, suspended: 2 })[s] ?? 3;
    expect(new Set(rows.map((r) => rank(r.status))).size).toBeGreaterThan(1);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(rank(a.status)).toBeLessThanOrEqual(rank(b.status));
      if (a.status === 'announced' && b.status === 'announced')
        expect(+a.startsAt).toBeLessThanOrEqual(+b.startsAt);
      if (a.status === 'live' && b.status === 'live')
        expect(+a.currentEndAt).toBeLessThanOrEqual(+b.currentEndAt);
    }
  });
});
