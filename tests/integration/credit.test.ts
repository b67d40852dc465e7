import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseMeasures } from '../../db/schema/cases';
import { creditListings, creditQueryClients } from '../../db/schema/credit';
import { organisations, users } from '../../db/schema/identity';
import { notifications } from '../../db/schema/notifications';
import { outboxAttempts, outboxDeliveries } from '../../db/schema/outbox';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { hashPassword } from '../../server/identity/crypto';
import { withCheckCharacter } from '../../server/identity/national-id';
import type { Actor } from '../../server/identity/permissions';
import { createJobRunner } from '../../server/jobs/runner';
import { createLogger } from '../../server/logger';
import { createDispatcher } from '../../server/outbox/dispatcher';
import { verifySignature } from '../../server/outbox/signing';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, caught, fakeClock, testConfig } from '../support/fixtures';

const config = testConfig();
const piiKey = Buffer.from(config.PII_ENCRYPTION_KEY, 'base64');
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: ReturnType<typeof buildServices>;
// 10:00 on Friday 13 February 2026 in Beijing, the eve of the Spring Festival holidays.
const time = fakeClock(new Date('2026-02-13T02:00:00Z'));
let clerk: Actor;
let president: Actor;
let admin: Actor;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, piiKey);
  services = buildServices(db, { config, clock: time.clock });
  clerk = await actorFor(services, 'clerk@demo.lastmile.test');
  president = await actorFor(services, 'president@demo.lastmile.test');
  admin = await actorFor(services, 'admin@demo.lastmile.test');
});
afterAll(() => db.drop());

let serial = 0;
/** An adult's ID number (born 1964), unique per call. */
function adultId() {
  serial += 1;
  return withCheckCharacter(
    `342301196405${String(10 + (serial % 18)).padStart(2, '0')}${String((process.pid + serial) % 1000).padStart(3, '0')}`,
  );
}

async function fileCase(name: string) {
  serial += 1;
  return services.cases.createCase(clerk, {
    caseNumber: `(2025)青0104执${(process.pid % 1000) * 100 + serial}号`,
    basis: '(2025)青0104民初88号民事判决书',
    filedOn: '2025-10-01',
    amountOwed: '200000',
    parties: [
      { role: 'applicant', kind: 'person', name: '李四', claim: '200000' },
      { role: 'respondent', kind: 'person', name },
    ],
  });
}

const listingInput = (name: string, idNumber: string, patch: Record<string, unknown> = {}) => ({
  subjectKind: 'person',
  name,
  idNumber,
  ground: 1,
  conduct: '有履行能力而拒不履行生效法律文书确定的义务',
  evidence: '银行流水显示其名下账户有大额进出，拒不履行',
  obligation: '支付货款人民币200,000元及利息',
  titleNumber: '(2025)青0104民初88号',
  titleIssuer: '西宁市城中区人民法院',
  decisionNumber: `(2025)青0104执${serial}号之一`,
  ...patch,
});

async function listDebtor(name: string, patch: Record<string, unknown> = {}) {
  const id = adultId();
  const c = await fileCase(name);
  const draft = await services.credit.prepareListing(clerk, c.id, listingInput(name, id, patch));
  const decided = await services.credit.decideListing(president, draft.id);
  return { c, id, listing: decided };
}

const search = (name: string, client = '198.51.100.1') =>
  services.credit.searchPublic(client, { name }).then((r) => {
    if (r.kind !== 'results') throw new Error('challenged');
    return r;
  });

describe('the bars (失信规定 arts. 3-4)', () => {
  it('refuses a minor, with nothing written', async () => {
    const c = await fileCase('未成年人甲');
    // Born 14 February 2008: 17 on 13 February 2026.
    const minor = withCheckCharacter('63010420080214001');
    const e = await caught(
      services.credit.prepareListing(clerk, c.id, listingInput('未成年人甲', minor, { ground: 2 })),
    );
    expect(e.messageKey).toBe('credit.errors.barred');
    expect(e.details.fieldErrors).toEqual({ bars: ['credit.bars.minor'] });
    expect(await db.db.select().from(creditListings).where(eq(creditListings.caseId, c.id))).toEqual([]);
  });

  it('refuses ground 1 when the seized property covers the debt, and re-checks at signing', async () => {
    const c = await fileCase('财产足额人');
    const draft = await services.credit.prepareListing(clerk, c.id, listingInput('财产足额人', adultId()));
    // A seizure after the draft: the president's signature is refused.
    await services.cases.recordMeasure(clerk, c.id, {
      kind: 'seizure',
      takenOn: '2026-02-12',
      details: { action: 'seal', property: '商铺一间', valueFen: '200000' },
    });
    const e = await caught(services.credit.decideListing(president, draft.id));
    expect(e.details.fieldErrors).toEqual({ bars: ['credit.bars.seizedCovers'] });
    expect(
      (await caught(services.credit.prepareListing(clerk, c.id, listingInput('财产足额人', adultId()))))
        .messageKey,
    ).toBe('credit.errors.barred');
    // Another ground is not barred by seized property.
    await services.credit.prepareListing(clerk, c.id, listingInput('财产足额人', adultId(), { ground: 3 }));
  });

  it('only the president signs', async () => {
    const c = await fileCase('签发测试');
    const draft = await services.credit.prepareListing(clerk, c.id, listingInput('签发测试', adultId()));
    expect((await caught(services.credit.decideListing(clerk, draft.id))).code).toBe('forbidden');
  });
});

describe('a listing from decision to deletion', () => {
  it('published with its restriction order; found by the public and the partners; deleted by itself when the case is fully performed', async () => {
    time.set(new Date('2026-02-13T02:00:00Z'));
    const { c, id, listing } = await listDebtor('张失信');
    expect(listing).toMatchObject({
      status: 'published',
      decidedOn: '2026-02-13',
      termMonths: null,
      expiresOn: null,
    });
    // The case's measure is on file (the 终本 checklist counts it), and the restriction order's.
    const kinds = (await db.db.select().from(caseMeasures).where(eq(caseMeasures.caseId, c.id))).map(
      (m) => m.kind,
    );
    expect(kinds.sort()).toEqual(['consumption_restriction', 'dishonest_listing']);

    const found = await search('张失信');
    expect(found.listings).toHaveLength(1);
    expect(found.listings[0]).toMatchObject({
      name: '张失信',
      idPublished: `${id.slice(0, 10)}****${id.slice(-4)}`,
      age: 61,
      court: '西宁市城西区人民法院',
      unperformedFen: 20_000_000,
    });
    // Exactly the published fields: no sealed ID, no digest, no evidence.
    expect(Object.keys(found.listings[0]!)).not.toContain('idSealed');
    expect(Object.keys(found.listings[0]!)).not.toContain('evidence');
    expect(found.restricted.map((r) => r.role)).toEqual(['debtor']);

    const partner = await services.credit.createPartner(admin, { name: '测试航空', kind: 'airline' });
    const who = await services.credit.authenticatePartner(partner.token);
    expect(await services.credit.checkId(who, { id })).toMatchObject({ listed: true, restricted: true });
    expect(await services.credit.checkId(who, { id: adultId() })).toMatchObject({
      listed: false,
      restricted: false,
    });

    // Paid in full on the Friday before the Spring Festival: the closure deletes it at once; the
    // rule's due instant (3 working days: the make-up Saturday, then 24 and 25 February) is kept.
    await services.cases.closeCase(clerk, c.id, { mode: 'fully_performed', recovered: '200000' });
    const [after] = await db.db.select().from(creditListings).where(eq(creditListings.id, listing.id));
    expect(after).toMatchObject({ status: 'deleted', deletionGround: 'performed' });
    expect(after!.deletionDueAt!.toISOString()).toBe('2026-02-25T16:00:00.000Z');
    expect(after!.removedAt!.getTime()).toBeLessThanOrEqual(after!.deletionDueAt!.getTime());
    expect((await search('张失信')).listings).toEqual([]);
    expect((await search('张失信')).restricted).toEqual([]);
    expect(await services.credit.checkId(who, { id })).toMatchObject({ listed: false, restricted: false });
  });

  it('a 2-year term expires by itself: the durable job deletes it after its last day', async () => {
    time.set(new Date('2026-02-13T02:00:00Z'));
    const { listing } = await listDebtor('李期限', { ground: 2 });
    expect(listing).toMatchObject({ termMonths: 24, expiresOn: '2028-02-13' });
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: createLogger(config),
      handlers: services.jobHandlers,
    });
    // The last day itself: still listed.
    time.set(new Date('2028-02-13T15:59:00Z'));
    await runner.runDue();
    expect((await search('李期限')).listings).toHaveLength(1);
    time.set(new Date('2028-02-13T16:00:01Z'));
    await runner.runDue();
    const [after] = await db.db.select().from(creditListings).where(eq(creditListings.id, listing.id));
    expect(after).toMatchObject({ status: 'deleted', deletionGround: 'term_expired' });
    expect((await search('李期限')).listings).toEqual([]);
    time.set(new Date('2026-02-13T02:00:00Z'));
  });

  it('a grace period holds publication back until its job runs', async () => {
    time.set(new Date('2026-03-02T02:00:00Z'));
    const { listing } = await listDebtor('王宽限', { ground: 4, graceMonths: 1 });
    expect(listing).toMatchObject({ status: 'decided', publishOn: '2026-04-02' });
    expect((await search('王宽限')).listings).toEqual([]);
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: createLogger(config),
      handlers: services.jobHandlers,
    });
    time.set(new Date('2026-04-01T16:00:01Z'));
    await runner.runDue();
    expect((await search('王宽限')).listings).toHaveLength(1);
    time.set(new Date('2026-02-13T02:00:00Z'));
  });
});

describe('the debtor’s correction request (arts. 11-12)', () => {
  it('reviewed within 15 days; a rejection goes to the next higher court, which decides it', async () => {
    const { listing } = await listDebtor('赵异议');
    const request = await services.credit.receiveCorrection(clerk, listing.id, {
      applicant: '赵异议',
      reason: '已提供担保',
      receivedOn: '2026-02-13',
    });
    expect(request).toMatchObject({ status: 'received', reviewDueOn: '2026-02-28' });
    await services.credit.decideCorrection(president, request.id, {
      outcome: 'reject',
      decision: '担保不足',
    });
    const appealed = await services.credit.appealCorrection(clerk, request.id, { appealedOn: '2026-02-13' });
    expect(appealed).toMatchObject({ status: 'appealed', appealDueOn: '2026-02-28' });
    // 青0104's own president cannot decide the appeal; the president of 青01 can.
    expect(
      (
        await caught(
          services.credit.decideAppeal(president, request.id, { outcome: 'reject', decision: 'x' }),
        )
      ).code,
    ).toBe('not_found');
    const [higher] = await db.db.select().from(organisations).where(eq(organisations.code, '青01'));
    await db.db.insert(users).values({
      email: `president.xining.${process.pid}@example.test`,
      passwordHash: await hashPassword('Demo2026lastmile'),
      realName: '高院长',
      roles: ['court_president'],
      organisationId: higher!.id,
    });
    const higherPresident = await actorFor(services, `president.xining.${process.pid}@example.test`);
    expect((await services.credit.appealsToDecide(higherPresident)).map((a) => a.correction.id)).toContain(
      request.id,
    );
    const done = await services.credit.decideAppeal(higherPresident, request.id, {
      outcome: 'reject',
      decision: '维持',
    });
    expect(done.status).toBe('appeal_rejected');
    // The listing stays meanwhile.
    expect((await search('赵异议')).listings).toHaveLength(1);
  });

  it('an undecided request is put before the court when its 15 days have passed (a durable job)', async () => {
    time.set(new Date('2026-02-13T02:00:00Z'));
    const { listing, c } = await listDebtor('孙逾期');
    await services.credit.receiveCorrection(clerk, listing.id, {
      applicant: '孙逾期',
      reason: '金额有误',
      receivedOn: '2026-02-13',
    });
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: createLogger(config),
      handlers: services.jobHandlers,
    });
    const overdue = () =>
      db.db
        .select()
        .from(notifications)
        .where(
          and(
            eq(notifications.kind, 'creditCorrectionOverdue'),
            eq(notifications.link, `/court/cases/${c.id}/credit`),
          ),
        );
    // The 28th is the last day of review.
    time.set(new Date('2026-02-28T15:59:00Z'));
    await runner.runDue();
    expect(await overdue()).toEqual([]);
    time.set(new Date('2026-02-28T16:00:01Z'));
    await runner.runDue();
    expect(await overdue()).toHaveLength(1);
    time.set(new Date('2026-02-13T02:00:00Z'));
  });
});

describe('the public query against scraping', () => {
  it('asks a challenge after a burst, lets a solver through, refuses past the hard limit', async () => {
    const client = '192.0.2.99';
    for (let i = 0; i < 10; i++)
      expect((await services.credit.searchPublic(client, { name: '无此人' })).kind).toBe('results');
    const challenged = await services.credit.searchPublic(client, { name: '无此人' });
    expect(challenged.kind).toBe('challenge');
    if (challenged.kind !== 'challenge') return;
    // A wrong answer: challenged again.
    expect(
      (
        await services.credit.searchPublic(
          client,
          { name: '无此人' },
          { token: challenged.token, answer: '0' },
        )
      ).kind,
    ).toBe('challenge');
    const answer = String(challenged.a + challenged.b);
    expect(
      (await services.credit.searchPublic(client, { name: '无此人' }, { token: challenged.token, answer }))
        .kind,
    ).toBe('results');
    // Another client is not affected.
    expect((await services.credit.searchPublic('192.0.2.100', { name: '无此人' })).kind).toBe('results');
    for (let i = 13; i < 60; i++) await services.credit.searchPublic(client, { name: '无此人' });
    expect((await caught(services.credit.searchPublic(client, { name: '无此人' }))).code).toBe(
      'rate_limited',
    );
    // No address stored: the key is a keyed digest.
    const keys = (await db.db.select().from(creditQueryClients)).map((r) => r.clientKey);
    expect(keys.some((k) => k.includes('192.0.2'))).toBe(false);
  });
});

describe('the partners’ feed (outbox)', () => {
  it('delivers a listing and its deletion exactly once each, in order, through a partner that fails twice', async () => {
    time.set(new Date('2026-02-13T02:00:00Z'));
    const received: { id: string; topic: string; idNumber: unknown; ok: boolean }[] = [];
    const seen = new Set<string>();
    let failures = 2;
    let secret = '';
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const ok = verifySignature(secret, req.headers['lastmile-signature'] as string, body, time.clock());
        if (failures > 0) {
          failures -= 1;
          res.writeHead(503).end();
          return;
        }
        const event = JSON.parse(body) as {
          id: string;
          topic: string;
          data: { subject: { idNumber: unknown } };
        };
        // The receiver de-duplicates on the event id; count what it would process.
        if (!seen.has(event.id)) {
          seen.add(event.id);
          received.push({ id: event.id, topic: event.topic, idNumber: event.data.subject?.idNumber, ok });
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const partner = await services.credit.createPartner(admin, {
        name: '测试铁路',
        kind: 'railway',
        url: `http://127.0.0.1:${port}/feed`,
      });
      secret = partner.secret!;
      const dispatcher = createDispatcher({
        db: db.db,
        clock: time.clock,
        logger: createLogger(config),
        piiKey,
        prepare: services.credit.partnerData,
        retryBaseMs: 1_000,
      });
      const { c, id, listing } = await listDebtor('钱订阅');
      await services.cases.closeCase(clerk, c.id, { mode: 'fully_performed', recovered: '200000' });

      // First pass: the listing's delivery fails and blocks the rest (in order).
      expect(await dispatcher.drain()).toBe(1);
      expect(received).toEqual([]);
      // Not due again before its backoff.
      expect(await dispatcher.drain()).toBe(0);
      time.advance(1_000);
      expect(await dispatcher.drain()).toBe(1); // fails again
      time.advance(2_000);
      await dispatcher.drain();
      time.advance(60_000);
      await dispatcher.drain();
      await dispatcher.drain();

      const mine = received.filter((r) => r.idNumber === id);
      const listingTopics = mine.filter((r) => r.topic.startsWith('credit.listing')).map((r) => r.topic);
      expect(listingTopics).toEqual(['credit.listing.published', 'credit.listing.deleted']);
      expect(mine.every((r) => r.ok)).toBe(true);
      // Every delivery of this endpoint delivered once; the first took three attempts, each logged.
      const deliveries = await db.db
        .select()
        .from(outboxDeliveries)
        .where(eq(outboxDeliveries.endpointId, partner.endpointId!))
        .orderBy(outboxDeliveries.seq);
      expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
      expect(deliveries[0]!.attempts).toBe(3);
      expect(deliveries.slice(1).every((d) => d.attempts === 1)).toBe(true);
      const attempts = await db.db
        .select()
        .from(outboxAttempts)
        .where(eq(outboxAttempts.deliveryId, deliveries[0]!.id));
      expect(attempts.map((a) => a.statusCode)).toEqual([503, 503, 204]);
      // Received in the events' order.
      expect(received.map((r) => r.id)).toEqual(deliveries.map((d) => d.eventId));
      // The platform's page reads the feed's backlog; a court's staff may not.
      const row = (await services.credit.listPartners(admin)).find((p) => p.id === partner.id);
      expect(row).toMatchObject({ delivered: deliveries.length, pending: 0, dead: 0 });
      expect((await caught(services.credit.listPartners(clerk))).code).toBe('forbidden');
      expect(listing.status).toBe('published');
    } finally {
      server.close();
    }
  });
});
