import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priorityPurchasers, registrations } from '../../db/schema/auctions';
import { users } from '../../db/schema/identity';
import { toJson } from '../../server/http/api';
import { withCreditCheckCharacter } from '../../server/identity/credit-code';
import { decrypt, keyedDigest } from '../../server/identity/crypto';
import { identityDigest } from '../../server/identity/real-name';
import { assetInput, caseInput, listingInput } from '../support/court';
import { createTestDatabase } from '../support/db';
import { caught, meta, nationalId, signupInput } from '../support/fixtures';
import { moneyWorld } from '../support/money';

/**
 * Priority purchasers as real bidders (art. 19, 21, 27): the panel designates them by real-name
 * identity, the verified bidder with that identity registers as the purchaser and gets a code
 * with his rank, nobody else can, and the public still sees only ranks and kinds of right.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;
let piiKey: Buffer;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await moneyWorld(db);
  piiKey = Buffer.from(w.config.PII_ENCRYPTION_KEY, 'base64');
});
afterAll(() => db.drop());

// listingInput: start ¥700,000, increment ¥7,000.
const START = 70_000_000n;
const CREDIT_CODE = withCreditCheckCharacter('91630100MA752K8Q1');

const person = (idNumber: string, rank = 1, name = '赵优先') => ({
  name,
  rank: String(rank),
  rightKind: 'co_owner',
  identityKind: 'person',
  idNumber,
});
const organisation = (idNumber = CREDIT_CODE, rank = 2) => ({
  name: '青海某投资有限公司',
  rank: String(rank),
  rightKind: 'shareholder',
  identityKind: 'organisation',
  idNumber,
});

/** A bidder signed up (and verified) with this resident ID, as /signup does it. */
async function signedUp(id: string, realName = '测试竞买人') {
  const r = await w.services.identity.signup(signupInput({ nationalId: id, realName }), meta);
  return (await w.services.identity.resolveSession(r.token))!.actor;
}

const purchasersOf = (listingId: string) =>
  db.db.select().from(priorityPurchasers).where(eq(priorityPurchasers.listingId, listingId));

describe('designation by identity (art. 19, 21, 27)', () => {
  it('stores the ID and the credit code sealed: never in clear, the digest a bidder is matched by, the masked form', async () => {
    const id = nationalId();
    const { listing } = await w.announcedListing({
      priorityPurchasers: [person(id.toLowerCase()), organisation(CREDIT_CODE.toLowerCase())],
    });
    const rows =
      await db.sql`select * from priority_purchasers where listing_id = ${listing.id} order by rank`;
    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(id);
    expect(stored).not.toContain(id.slice(0, 17));
    expect(stored).not.toContain(CREDIT_CODE);
    expect(stored).not.toContain(CREDIT_CODE.slice(0, 17));
    const [p, o] = rows as Array<Record<string, string>>;
    expect(p).toMatchObject({
      identity_kind: 'person',
      identity_masked: `${id.slice(0, 3)}***********${id.slice(-4)}`,
    });
    expect(decrypt(piiKey, p!.identity_cipher!)).toBe(id);
    // The very digest signup stores for an account with this ID.
    expect(p!.identity_digest).toBe(keyedDigest(piiKey, id));
    expect(o).toMatchObject({
      identity_kind: 'organisation',
      identity_masked: `916***********${CREDIT_CODE.slice(-4)}`,
    });
    expect(decrypt(piiKey, o!.identity_cipher!)).toBe(CREDIT_CODE);
    // Kept apart from persons' digests: a credit code never matches an account's ID.
    expect(o!.identity_digest).toBe(identityDigest(piiKey, 'organisation', CREDIT_CODE));
    expect(o!.identity_digest).not.toBe(keyedDigest(piiKey, CREDIT_CODE));
  });

  it('the court sees the name and the masked identity only; the public the rank and the kind of right only', async () => {
    const id = nationalId();
    const { listing } = await w.announcedListing({ priorityPurchasers: [person(id), organisation()] });
    const court = await w.services.listings.getForCourt(w.clerk, listing.id);
    expect(court.purchasers).toEqual([
      expect.objectContaining({
        rank: 1,
        name: '赵优先',
        identityKind: 'person',
        identityMasked: `${id.slice(0, 3)}***********${id.slice(-4)}`,
        claimable: true,
        registration: null,
      }),
      expect.objectContaining({
        rank: 2,
        identityKind: 'organisation',
        claimable: false,
        registration: null,
      }),
    ]);
    const courtJson = toJson(court);
    for (const secret of [id, CREDIT_CODE, 'identityCipher', 'identityDigest'])
      expect(courtJson).not.toContain(secret);

    const pub = await w.services.listings.publicListing(listing.id);
    expect(pub.purchasers).toEqual([
      { rank: 1, rightKind: 'co_owner' },
      { rank: 2, rightKind: 'shareholder' },
    ]);
    const pubJson = toJson(pub);
    for (const secret of ['赵优先', '青海某投资有限公司', id.slice(-4), CREDIT_CODE.slice(-4), 'identity'])
      expect(pubJson).not.toContain(secret);
  });

  it('refuses a bad ID or credit code, a missing kind and the same identity twice, beside the field', async () => {
    const c = await w.services.cases.createCase(w.clerk, caseInput());
    const asset = await w.services.cases.createAsset(w.clerk, c.id, assetInput());
    const id = nationalId();
    const bad = await caught(
      w.services.listings.createDraft(
        w.clerk,
        asset.id,
        listingInput(w.time.clock(), {
          priorityPurchasers: [
            person(`${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`),
            organisation(`${CREDIT_CODE.slice(0, 17)}${CREDIT_CODE[17] === '0' ? '1' : '0'}`),
            { ...person(nationalId()), identityKind: undefined },
            person(id, 2, '甲'),
            person(id.toLowerCase(), 3, '乙'),
            { ...person(nationalId()), idNumber: '' },
          ],
        }),
      ),
    );
    expect(bad.details.fieldErrors).toEqual({
      'priorityPurchasers.0.idNumber': ['validation.nationalId'],
      'priorityPurchasers.1.idNumber': ['validation.creditCode'],
      'priorityPurchasers.2.identityKind': ['validation.identityKind'],
      'priorityPurchasers.5.idNumber': ['validation.required'],
    });
    const twice = await caught(
      w.services.listings.createDraft(
        w.clerk,
        asset.id,
        listingInput(w.time.clock(), {
          priorityPurchasers: [person(id, 1, '甲'), person(id.toLowerCase(), 2, '乙')],
        }),
      ),
    );
    expect(twice.details.fieldErrors).toEqual({
      'priorityPurchasers.1.idNumber': ['validation.duplicateIdentity'],
    });
  });

  it('a row is sealed whole or not at all; one identity once per listing (the constraints under the schema)', async () => {
    const { listing } = await w.announcedListing();
    const whole = { listingId: listing.id, name: '甲', rank: 1, rightKind: 'co_owner' as const };
    await expect(
      db.db.insert(priorityPurchasers).values({ ...whole, identityKind: 'person', identityDigest: 'd' }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'priority_purchasers_identity_whole' } });
    const sealed = {
      identityKind: 'person' as const,
      identityCipher: 'c',
      identityDigest: 'd',
      identityMasked: 'm',
    };
    await db.db.insert(priorityPurchasers).values({ ...whole, ...sealed });
    await expect(db.db.insert(priorityPurchasers).values({ ...whole, ...sealed })).rejects.toMatchObject({
      cause: { constraint_name: 'priority_purchasers_listing_identity_key' },
    });
  });
});

describe('registration as the designated purchaser (art. 19, 21)', () => {
  it('the bidder whose verified ID matches registers as the purchaser and gets P1-; the court sees him registered', async () => {
    const id = nationalId();
    const { listing } = await w.announcedListing({ priorityPurchasers: [person(id)] });
    const [p] = await purchasersOf(listing.id);
    const him = await signedUp(id, '赵优先');
    expect(await w.services.registrations.myDesignation(him, listing.id)).toEqual({
      rank: 1,
      rightKind: 'co_owner',
    });
    const reg = await w.services.registrations.register(him, listing.id, { acceptNotices: true });
    expect(reg.registration.priorityPurchaserId).toBe(p!.id);
    let court = await w.services.listings.getForCourt(w.clerk, listing.id);
    expect(court.purchasers[0]!.registration).toMatchObject({ status: 'awaiting_deposit', code: null });

    const paid = await w.registeredWithDeposit(listing.id, him);
    expect(paid.registration.code).toMatch(/^P1-[2-9A-Z]{4}$/);
    court = await w.services.listings.getForCourt(w.clerk, listing.id);
    expect(court.purchasers[0]!.registration).toMatchObject({
      status: 'active',
      code: paid.registration.code,
    });
  });

  it('a bidder with another identity registers as an ordinary bidder, whatever his name or what he sends', async () => {
    const { listing } = await w.announcedListing({ priorityPurchasers: [person(nationalId())] });
    const [p] = await purchasersOf(listing.id);
    // Same real name as the purchaser, and the purchaser's row id slipped into the form.
    const namesake = await signedUp(nationalId(), '赵优先');
    expect(await w.services.registrations.myDesignation(namesake, listing.id)).toBeNull();
    const reg = await w.services.registrations.register(namesake, listing.id, {
      acceptNotices: true,
      priorityPurchaserId: p!.id,
    });
    expect(reg.registration.priorityPurchaserId).toBeNull();
    const paid = await w.registeredWithDeposit(listing.id, namesake);
    expect(paid.registration.code).toMatch(/^[2-9A-Z]{4}$/);
    // A bidder with no ID on file (here straight into the table) claims nothing either.
    const quick = await w.quickBidder(listing.id);
    expect(quick.registration.priorityPurchaserId).toBeNull();
    expect(
      (await w.services.listings.getForCourt(w.clerk, listing.id)).purchasers[0]!.registration,
    ).toBeNull();
  });

  it('nobody claims a purchaser designated by credit code or without an identity', async () => {
    const id = nationalId();
    const { listing } = await w.announcedListing({ priorityPurchasers: [organisation()] });
    // A row designated before identities were recorded (as the migration leaves old ones).
    await db.db
      .insert(priorityPurchasers)
      .values({ listingId: listing.id, name: '旧登记', rank: 1, rightKind: 'lessee' });
    const bidder = await signedUp(id);
    expect(await w.services.registrations.myDesignation(bidder, listing.id)).toBeNull();
    const reg = await w.services.registrations.register(bidder, listing.id, { acceptNotices: true });
    expect(reg.registration.priorityPurchaserId).toBeNull();
    const court = await w.services.listings.getForCourt(w.clerk, listing.id);
    expect(court.purchasers.map((p) => [p.rank, p.identityKind, p.claimable, p.registration])).toEqual([
      [1, null, false, null],
      [2, 'organisation', false, null],
    ]);
  });

  it('a second account with the same identity cannot claim the purchaser already claimed, and gets a clear refusal', async () => {
    const id = nationalId();
    const { listing } = await w.announcedListing({ priorityPurchasers: [person(id)] });
    const first = await signedUp(id);
    const claimed = await w.services.registrations.register(first, listing.id, { acceptNotices: true });
    // One account per ID is the rule at signup; an identity can still move to a new account
    // (the first closed and its ID released by an administrator): the new one may not take the right.
    await db.db.update(users).set({ nationalIdDigest: null }).where(eq(users.id, first.userId));
    const second = await signedUp(id);
    expect(await w.services.registrations.myDesignation(second, listing.id)).toEqual({
      rank: 1,
      rightKind: 'co_owner',
    });
    const refused = await caught(
      w.services.registrations.register(second, listing.id, { acceptNotices: true }),
    );
    expect(refused).toMatchObject({ code: 'conflict', messageKey: 'registration.priorityClaimed' });
    expect(await w.services.registrations.myRegistration(second, listing.id)).toBeNull();
    const regs = await db.db.select().from(registrations).where(eq(registrations.listingId, listing.id));
    expect(regs.map((r) => r.id)).toEqual([claimed.registration.id]);
    // And under the service, the table itself holds one registration per purchaser.
    await expect(
      db.db.insert(registrations).values({
        id: randomUUID(),
        listingId: listing.id,
        userId: second.userId,
        priorityPurchaserId: claimed.registration.priorityPurchaserId,
        noticesAcceptedAt: w.time.clock(),
      }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'registrations_priority_purchaser_key' } });
  });
});

describe('bidding as the priority purchaser (art. 19, 21)', () => {
  it('bids equal to the leader and leads; the ordinary bidder cannot bid that price back', async () => {
    const id = nationalId();
    const { listing } = await w.liveListing({ priorityPurchasers: [person(id)] });
    const ordinary = await w.quickBidder(listing.id);
    const him = await w.registeredWithDeposit(listing.id, await signedUp(id));
    expect(him.registration.code).toMatch(/^P1-/);
    const bid = (who: typeof ordinary, amountFen: bigint) =>
      w.services.bidding.placeBid(who.bidder, listing.id, {
        amountFen: amountFen.toString(),
        clientKey: randomUUID(),
      });
    expect(await bid(ordinary, START)).toMatchObject({ accepted: true });
    expect(await bid(him, START)).toMatchObject({ accepted: true }); // equal, and he leads
    const [l] =
      await db.sql`select leader_registration_id, current_price_fen from listings where id = ${listing.id}`;
    expect(l!.leader_registration_id).toBe(him.registration.id);
    expect(BigInt(l!.current_price_fen)).toBe(START);
    expect(await bid(ordinary, START)).toEqual({ accepted: false, reason: 'bidding.notAbove' });
  });
});
