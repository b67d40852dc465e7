/**
 * Account basics (issue 21 part 7, issue 19; ADR 028): "forgot password" by e-mail or SMS through
 * the notification transports, login by e-mail or mobile number, the forced change of an
 * admin-set initial password, and a real-name state that is verified only when a verification
 * said so. Mails go to a real SMTP server started here; SMS to the fake provider.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { identityVerifications, passwordResets, sessions, users } from '../../db/schema/identity';
import { withCheckCharacter } from '../../server/identity/national-id';
import { SELF_RESET_TTL_MS } from '../../server/identity/passwords';
import { actorFor } from '../support/court';
import { caught, meta, signupInput } from '../support/fixtures';
import { outboundWorld } from '../support/outbound';

let world: Awaited<ReturnType<typeof outboundWorld>>;
let db: typeof world.db;
let w: typeof world.w;
let smtp: typeof world.smtp;
let sms: typeof world.sms;
let phones = 0;
let ips = 0;

beforeAll(async () => {
  world = await outboundWorld();
  ({ db, w, smtp, sms } = world);
});
afterAll(async () => {
  await world?.close();
});

/** Waits (bounded) for what the server does after its answer (the message is not awaited). */
async function eventually<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
) {
  for (let i = 0; i < 250; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

/** A bidder with his own e-mail and a mobile number no one else holds. */
async function person(overrides: Record<string, string> = {}) {
  phones += 1;
  const input = signupInput({ phone: `1360000${String(phones).padStart(4, '0')}`, ...overrides });
  const r = await w.services.identity.signup(input, meta);
  return { ...input, userId: r.userId, token: r.token };
}

/** Each test asks from its own address, so the per-address limit is its own. */
const from = () => ({ ip: `198.51.100.${++ips}`, locale: 'zh-CN' });
const linkIn = (text: string) => /\/reset-password\/([\w-]{40,})/.exec(text)?.[1];
const liveSessions = async (userId: string) =>
  (await db.db.select().from(sessions).where(eq(sessions.userId, userId))).filter((s) => !s.revokedAt);

describe('forgot password (ADR 028)', () => {
  it('answers the same for an unknown account; a known one gets a single-use link by e-mail, and its other sessions end', async () => {
    const p = await person();
    const other = await w.services.identity.login({ email: p.email, password: p.password }, meta);
    expect(await liveSessions(p.userId)).toHaveLength(2);

    const unknown = await w.services.identity.requestPasswordReset({ login: 'nobody@example.test' }, from());
    const known = await w.services.identity.requestPasswordReset({ login: p.email.toUpperCase() }, from());
    expect(unknown).toEqual(known);

    const mail = await eventually(() => smtp.to(p.email)[0]);
    expect(mail.subject).toBe('重置您的登录密码');
    expect(smtp.to('nobody@example.test')).toHaveLength(0);
    const token = linkIn(mail.text)!;
    expect(token).toBeTruthy();
    // Only the hash is kept.
    const stored = await db.db.select().from(passwordResets).where(eq(passwordResets.userId, p.userId));
    expect(JSON.stringify(stored)).not.toContain(token);

    // The same rules as sign-up.
    const weak = await caught(
      w.services.identity.redeemPasswordReset(token, { password: 'short', confirm: 'short' }),
    );
    expect(weak.details.fieldErrors?.password).toContain('validation.passwordTooShort');
    await w.services.identity.redeemPasswordReset(token, {
      password: 'new-secret-77',
      confirm: 'new-secret-77',
    });
    expect(await liveSessions(p.userId)).toHaveLength(0);
    expect(await w.services.identity.resolveSession(other.token)).toBeNull();
    // Single use.
    expect(
      (
        await caught(
          w.services.identity.redeemPasswordReset(token, {
            password: 'again-secret-78',
            confirm: 'again-secret-78',
          }),
        )
      ).messageKey,
    ).toBe('accounts.reset.invalid');
    await expect(
      w.services.identity.login({ email: p.email, password: 'new-secret-77' }, meta),
    ).resolves.toMatchObject({ userId: p.userId });
  });

  it('a link expires after an hour', async () => {
    const p = await person();
    await w.services.identity.requestPasswordReset({ login: p.email }, from());
    const token = linkIn((await eventually(() => smtp.to(p.email)[0])).text)!;
    expect(await w.services.identity.passwordResetLink(token)).not.toBeNull();
    w.time.advance(SELF_RESET_TTL_MS + 1_000);
    expect(await w.services.identity.passwordResetLink(token)).toBeNull();
    expect(
      (
        await caught(
          w.services.identity.redeemPasswordReset(token, {
            password: 'late-secret-99',
            confirm: 'late-secret-99',
          }),
        )
      ).messageKey,
    ).toBe('accounts.reset.invalid');
  });

  it('asked by mobile number, the link goes by SMS to that number', async () => {
    const p = await person();
    await w.services.identity.requestPasswordReset({ login: `+86 ${p.phone}` }, from());
    const text = (await eventually(() => sms.delivered(p.phone)[0])).text;
    const token = linkIn(text)!;
    expect(text).toContain('【司法拍卖】');
    await w.services.identity.redeemPasswordReset(token, {
      password: 'phone-secret-55',
      confirm: 'phone-secret-55',
    });
    await expect(
      w.services.identity.login({ login: p.phone, password: 'phone-secret-55' }, meta),
    ).resolves.toMatchObject({ userId: p.userId });
  });

  it('is rate-limited per identifier and per address, known or not alike', async () => {
    const p = await person();
    const ip = from();
    for (let i = 0; i < 3; i++) await w.services.identity.requestPasswordReset({ login: p.email }, from());
    const byIdentifier = await caught(w.services.identity.requestPasswordReset({ login: p.email }, ip));
    expect(byIdentifier).toMatchObject({ code: 'rate_limited', messageKey: 'accounts.forgot.rateLimited' });
    for (let i = 0; i < 3; i++)
      await w.services.identity.requestPasswordReset({ login: 'ghost@example.test' }, from());
    expect(
      (await caught(w.services.identity.requestPasswordReset({ login: 'ghost@example.test' }, from()))).code,
    ).toBe('rate_limited');
    for (let i = 0; i < 10; i++)
      await w.services.identity.requestPasswordReset(
        { login: `someone${i}@example.test` },
        { ip: '192.0.2.200' },
      );
    expect(
      (
        await caught(
          w.services.identity.requestPasswordReset(
            { login: 'someone-else@example.test' },
            { ip: '192.0.2.200' },
          ),
        )
      ).code,
    ).toBe('rate_limited');
  });

  it("the admin's reset link is sent to the account's e-mail by the same path", async () => {
    const p = await person();
    const admin = await actorFor(w.services, 'admin@demo.lastmile.test');
    const issued = await w.services.identity.issuePasswordReset(admin, p.userId);
    expect(issued.sentTo).toMatch(/\*\*\*@example\.test$/);
    const mail = await eventually(() => smtp.to(p.email)[0]);
    expect(linkIn(mail.text)).toBe(issued.token);
  });
});

describe('login by e-mail or mobile number (ADR 028)', () => {
  it('signs in with the phone number; an unknown number is answered as a wrong password is', async () => {
    const p = await person();
    await expect(
      w.services.identity.login({ login: p.phone, password: p.password }, meta),
    ).resolves.toMatchObject({ userId: p.userId });
    const wrong = await caught(w.services.identity.login({ login: p.phone, password: 'not-it-12345' }, meta));
    const unknown = await caught(
      w.services.identity.login({ login: '13000000000', password: 'not-it-12345' }, meta),
    );
    expect(unknown.messageKey).toBe(wrong.messageKey);
    expect(unknown.code).toBe(wrong.code);
    expect(unknown.details.params).toEqual(wrong.details.params);
  });

  it('a number two accounts share names nobody', async () => {
    const a = await person({ phone: '13700009999' });
    await person({ phone: '13700009999' });
    const e = await caught(w.services.identity.login({ login: a.phone, password: a.password }, meta));
    expect(e.messageKey).toBe('errors.badCredentialsAttemptsLeft');
    expect(
      (await caught(w.services.identity.login({ login: 'not an address', password: 'x' }, meta))).details
        .fieldErrors,
    ).toEqual({
      email: ['validation.login'],
    });
  });
});

describe('forced change of an initial password (ADR 028)', () => {
  it('staff an admin creates must change the password; the change lifts it and ends other sessions', async () => {
    const admin = await actorFor(w.services, 'admin@demo.lastmile.test');
    const orgs = await w.services.identity.staffOrganisations(admin);
    const court = orgs.find((o) => o.kind === 'court')!;
    const email = `clerk.${process.pid}@example.test`;
    const { id } = await w.services.identity.createStaffUser(admin, {
      email,
      password: 'initial-pass-11',
      realName: '新书记员',
      organisationId: court.id,
      roles: ['court_clerk'],
    });
    const first = await w.services.identity.login({ email, password: 'initial-pass-11' }, meta);
    expect(first.mustChangePassword).toBe(true);
    const second = await w.services.identity.login({ email, password: 'initial-pass-11' }, meta);
    const me = (await w.services.identity.resolveSession(first.token))!;
    expect(me.user).toMatchObject({ mustChangePassword: true, verification: 'unverified' });

    const same = await caught(
      w.services.identity.changeOwnPassword(me.actor, {
        current: 'initial-pass-11',
        password: 'initial-pass-11',
        confirm: 'initial-pass-11',
      }),
    );
    expect(same.details.fieldErrors?.password).toEqual(['accounts.password.same']);
    const wrong = await caught(
      w.services.identity.changeOwnPassword(me.actor, {
        current: 'nope',
        password: 'mine-secret-12',
        confirm: 'mine-secret-12',
      }),
    );
    expect(wrong.details.fieldErrors?.current).toEqual(['accounts.password.wrongCurrent']);

    await w.services.identity.changeOwnPassword(me.actor, {
      current: 'initial-pass-11',
      password: 'mine-secret-12',
      confirm: 'mine-secret-12',
    });
    expect((await w.services.identity.resolveSession(first.token))!.user.mustChangePassword).toBe(false);
    expect(await w.services.identity.resolveSession(second.token)).toBeNull();
    const [audit] = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'user.password-changed')));
    expect(audit!.data).toMatchObject({ initial: true, sessionsEnded: 1 });
  });
});

describe('real-name verification (ADR 028)', () => {
  const listed = withCheckCharacter('63010419800101123'); // 王建国 in the simulated registry

  it('verified only after the provider said so; a refusal blocks registering until a check passes', async () => {
    const p = await person({ nationalId: listed, realName: '王建' });
    const actor = (await w.services.identity.resolveSession(p.token))!.actor;
    const state = await w.services.identity.verificationState(actor);
    expect(state).toMatchObject({
      status: 'rejected',
      canVerify: true,
      last: { provider: 'simulated', outcome: 'rejected', reason: 'nameMismatch' },
    });
    const { listing } = await w.announcedListing();
    expect(
      (await caught(w.services.registrations.register(actor, listing.id, { acceptNotices: true })))
        .messageKey,
    ).toBe('registration.notVerified');

    // The same wrong name again: refused again, recorded again.
    expect(await w.services.identity.verifyIdentity(actor, { realName: '王建' })).toMatchObject({
      outcome: 'rejected',
    });
    expect(await w.services.identity.verifyIdentity(actor, { realName: '王建国' })).toMatchObject({
      outcome: 'verified',
    });
    const [u] = await db.db.select().from(users).where(eq(users.id, p.userId));
    expect(u).toMatchObject({ verification: 'verified', realName: '王建国' });
    expect(
      await db.db.select().from(identityVerifications).where(eq(identityVerifications.userId, p.userId)),
    ).toHaveLength(3);
    await expect(
      w.services.registrations.register(actor, listing.id, { acceptNotices: true }),
    ).resolves.toBeTruthy();
    expect((await caught(w.services.identity.verifyIdentity(actor, { realName: '王建国' }))).messageKey).toBe(
      'accounts.verify.already',
    );
  });

  it('an ID number the registry does not know is not verified', async () => {
    const p = await person({ nationalId: withCheckCharacter('63999919900101999') });
    const [u] = await db.db.select().from(users).where(eq(users.id, p.userId));
    expect(u!.verification).toBe('rejected');
  });
});
