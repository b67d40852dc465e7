import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { organisations } from '../../db/schema/identity';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import type { Actor } from '../../server/identity/permissions';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, caught, fakeClock, meta, testConfig } from '../support/fixtures';

const config = testConfig();
const time = fakeClock(new Date('2026-03-01T02:00:00Z'));
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: ReturnType<typeof buildServices>;
let admin: Actor;
let xining: string;
const DAY = 86_400_000;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  services = buildServices(db, { clock: time.clock, config });
  admin = await actorFor(services, 'admin@demo.lastmile.test');
  [{ id: xining }] = (await db.db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.code, '青01'))) as [{ id: string }];
});
afterAll(() => db.drop());

const court = (over: Record<string, unknown> = {}) => ({
  kind: 'court',
  nameZh: '大通回族土族自治县人民法院',
  nameEn: 'Datong County People’s Court',
  code: '青0121',
  courtLevel: 'basic',
  parentId: xining,
  regionCode: '630121',
  province: '青海省',
  city: '西宁市',
  district: '大通县',
  ...over,
});

const audits = (entityId: string) =>
  db.db.select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(auditLog.at);

describe('onboarding a court (ADR 023)', () => {
  let courtId: string;
  let first: { email: string; password: string; userId: string };

  it('the platform admin creates a court under its intermediate court; level and parent are checked', async () => {
    // A basic court reports to an intermediate one: none, a basic one or itself are refused.
    for (const bad of [
      court({ parentId: '' }),
      court({ parentId: (await services.organisations.list(admin)).find((o) => o.code === '青0104')!.id }),
    ]) {
      const e = await caught(services.organisations.create(admin, bad));
      expect(e.details.fieldErrors?.parentId).toBeDefined();
    }
    expect((await caught(services.organisations.create(admin, court({ courtLevel: 'supreme' })))).code).toBe(
      'validation',
    );
    expect(
      (await caught(services.organisations.create(admin, court({ regionCode: '63012' })))).details.fieldErrors
        ?.regionCode,
    ).toEqual(['orgs.badRegion']);
    ({ id: courtId } = await services.organisations.create(admin, court()));
    expect((await caught(services.organisations.create(admin, court()))).details.fieldErrors?.code).toEqual([
      'orgs.codeTaken',
    ]);
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    expect((await caught(services.organisations.create(clerk, court({ code: '青0122' })))).code).toBe(
      'forbidden',
    );
    expect((await audits(courtId)).map((a) => a.action)).toEqual(['organisation.created']);
  });

  it('edits its names and region, audited with what changed; its kind never changes', async () => {
    await services.organisations.update(admin, courtId, {
      ...court(),
      kind: 'insurer',
      nameEn: 'Datong Court',
    });
    const { org } = await services.organisations.get(admin, courtId);
    expect(org).toMatchObject({
      kind: 'court',
      nameEn: 'Datong Court',
      courtLevel: 'basic',
      parentId: xining,
    });
    const entry = (await audits(courtId)).at(-1)!;
    expect(entry).toMatchObject({
      action: 'organisation.updated',
      data: { changed: { nameEn: 'Datong Court' } },
    });
  });

  it('its first administrator gets a one-time password that signs him in; a second is refused', async () => {
    first = await services.organisations.createFirstAdmin(admin, courtId, {
      realName: '马主任',
      email: 'ma@datong.court.test',
    });
    expect(first.password).toMatch(/^[A-Za-z2-9]{16}$/);
    const login = await services.identity.login({ email: first.email, password: first.password }, meta);
    expect(login.roles).toEqual(['court_admin']);
    const { can, admins } = await services.organisations.get(admin, courtId);
    expect(admins.map((a) => a.email)).toEqual(['ma@datong.court.test']);
    expect(can).toMatchObject({ createAdmin: false, suspend: true, reinstate: false });
    expect(
      (
        await caught(
          services.organisations.createFirstAdmin(admin, courtId, {
            realName: '另一人',
            email: 'b@datong.court.test',
          }),
        )
      ).code,
    ).toBe('conflict');
    expect((await audits(courtId)).map((a) => a.action)).toContain('organisation.admin_created');
  });

  it('suspension ends its sessions, refuses logins and API tokens and keeps its data; reinstatement lets them back', async () => {
    const session = await services.identity.login({ email: first.email, password: first.password }, meta);
    const courtAdmin = (await services.identity.resolveSession(session.token))!.actor;
    const { token } = await services.apiTokens.issue(courtAdmin, { name: 'cms', actsAs: courtAdmin.userId });
    expect(await services.apiTokens.authenticate(token, 'read')).not.toBeNull();

    const ended: string[][] = [];
    services.events.on('session.revoked', (e: { sessionIds: string[] }) => ended.push(e.sessionIds));
    const r = await services.organisations.suspend(admin, courtId, { reason: '机构调整' });
    expect(r.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect(await services.identity.resolveSession(session.token)).toBeNull();
    expect(ended.flat().length).toBe(r.sessionsEnded); // their sockets are cut
    expect(
      (await caught(services.identity.login({ email: first.email, password: first.password }, meta)))
        .messageKey,
    ).toBe('errors.organisationSuspended');
    expect(await services.apiTokens.authenticate(token, 'read')).toBeNull();
    // Suspending twice changes nothing; its staff and tokens are kept.
    expect(await services.organisations.suspend(admin, courtId, { reason: 'again' })).toMatchObject({
      suspended: false,
    });
    expect((await services.organisations.get(admin, courtId)).can).toMatchObject({
      reinstate: true,
      createAdmin: false,
    });

    await services.organisations.reinstate(admin, courtId);
    expect(
      await services.identity.login({ email: first.email, password: first.password }, meta),
    ).toBeTruthy();
    expect(await services.apiTokens.authenticate(token, 'read')).not.toBeNull();
    const actions = (await audits(courtId)).map((a) => a.action);
    expect(actions.filter((a) => a.startsWith('organisation.'))).toEqual([
      'organisation.created',
      'organisation.updated',
      'organisation.admin_created',
      'organisation.suspended',
      'organisation.reinstated',
    ]);
  });

  it('an insurer is created with its manager as first administrator', async () => {
    const { id } = await services.organisations.create(admin, {
      kind: 'insurer',
      nameZh: '某某财产保险股份有限公司青海分公司',
      nameEn: 'Some Insurance Qinghai',
      code: 'some-qh',
    });
    const a = await services.organisations.createFirstAdmin(admin, id, {
      realName: '钱经理',
      email: 'qian@insurer.test',
    });
    const login = await services.identity.login({ email: a.email, password: a.password }, meta);
    expect(login.roles).toEqual(['insurer_manager']);
  });
});

describe('API tokens: scopes, expiry, revocation (ADR 023)', () => {
  let courtAdmin: Actor;
  let clerk: Actor;
  beforeAll(async () => {
    courtAdmin = await actorFor(services, 'court-admin@demo.lastmile.test');
    clerk = await actorFor(services, 'clerk@demo.lastmile.test');
  });

  it('a read-only token reads and is refused a write', async () => {
    const { token } = await services.apiTokens.issue(courtAdmin, {
      name: 'reader',
      actsAs: clerk.userId,
      scopes: ['read'],
    });
    expect(await services.apiTokens.authenticate(token, 'read')).toMatchObject({ userId: clerk.userId });
    expect((await caught(services.apiTokens.authenticate(token, 'write'))).messageKey).toBe(
      'tokens.scopeMissing',
    );
  });

  it('a token expires at its lifetime; the list says so and offers no revoke', async () => {
    const { token, id } = await services.apiTokens.issue(courtAdmin, {
      name: 'month',
      actsAs: clerk.userId,
      expiresInDays: '30',
    });
    time.advance(30 * DAY - 1000);
    expect(await services.apiTokens.authenticate(token, 'write')).not.toBeNull();
    time.advance(1000);
    expect(await services.apiTokens.authenticate(token, 'write')).toBeNull();
    const row = (await services.apiTokens.list(courtAdmin)).find((t) => t.id === id)!;
    expect(row).toMatchObject({ state: 'expired', can: { revoke: false }, actsAsName: '王书记员' });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('bad scopes or lifetimes are refused; revocation is audited and final', async () => {
    for (const bad of [
      { scopes: [] },
      { scopes: ['admin'] },
      { expiresInDays: '0' },
      { expiresInDays: '9999' },
    ])
      expect(
        (await caught(services.apiTokens.issue(courtAdmin, { name: 'x', actsAs: clerk.userId, ...bad })))
          .code,
      ).toBe('validation');
    const { token, id } = await services.apiTokens.issue(courtAdmin, { name: 'gone', actsAs: clerk.userId });
    await services.apiTokens.revoke(courtAdmin, id);
    expect(await services.apiTokens.authenticate(token, 'read')).toBeNull();
    expect((await caught(services.apiTokens.revoke(courtAdmin, id))).code).toBe('not_found');
    const entries = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'api_token.revoked')));
    expect(entries).toHaveLength(1);
  });
});
