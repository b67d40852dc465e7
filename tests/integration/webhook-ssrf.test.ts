/**
 * The SSRF guard on webhook URLs (ADR 028): refused at registration when the host is or resolves
 * to an internal address, and refused again at delivery (DNS answers change); an explicit
 * allowance lets a deployment's own receivers through.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxDeliveries, outboxEndpoints } from '../../db/schema/outbox';
import type { Actor } from '../../server/identity/permissions';
import { createLogger } from '../../server/logger';
import { createDispatcher } from '../../server/outbox/dispatcher';
import { assertPublicUrl, isForbiddenAddress } from '../../server/outbox/url-guard';
import { createWebhookService } from '../../server/outbox/webhooks';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { caught, testConfig } from '../support/fixtures';
import { moneyWorld } from '../support/money';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;
let admin: Actor;
let receiver: Server;
let base: string;
let hits = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  // The default configuration: no allowance.
  w = await moneyWorld(db, { config: testConfig() });
  admin = await actorFor(w.services, 'court-admin@demo.lastmile.test');
  receiver = createServer((req, res) => {
    hits += 1;
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  await db.drop();
});

const register = (url: string) =>
  w.services.webhooks.register(admin, { name: 'receiver', url, topics: ['listing.published'] });

describe('webhook URLs must be public (ADR 028)', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['private 10/8', 'http://10.1.2.3/hook'],
    ['private 192.168/16', 'https://192.168.1.20/hook'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'http://[::1]:9000/hook'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['CGNAT', 'http://100.64.0.1/hook'],
    ['a name resolving to loopback', 'http://localhost:8080/hook'],
  ])('refuses %s at registration, with a clear error, and writes nothing', async (_, url) => {
    const err = await caught(register(url));
    expect(err).toMatchObject({
      messageKey: 'webhooks.privateAddress',
      details: { fieldErrors: { url: ['webhooks.privateAddress'] } },
    });
    expect(await db.db.select().from(outboxEndpoints).where(eq(outboxEndpoints.url, url))).toHaveLength(0);
  });

  it('a name that resolves to a public and a private address is refused; public ones pass', async () => {
    const policy = { allowPrivate: false, allowHosts: [] };
    const dns = (answers: string[]) => async () => answers.map((address) => ({ address, family: 4 }));
    await expect(
      assertPublicUrl('https://hooks.example.cn/x', policy, dns(['93.184.216.34', '10.0.0.5'])),
    ).rejects.toMatchObject({ messageKey: 'webhooks.privateAddress' });
    await expect(
      assertPublicUrl('https://hooks.example.cn/x', policy, dns(['93.184.216.34'])),
    ).resolves.toBeUndefined();
    await expect(
      assertPublicUrl('https://nowhere.invalid/x', policy, async () => {
        throw new Error('ENOTFOUND');
      }),
    ).rejects.toMatchObject({ messageKey: 'webhooks.unresolvable' });
    expect(isForbiddenAddress('172.31.255.255')).toBe(true);
    expect(isForbiddenAddress('172.32.0.1')).toBe(false);
    expect(isForbiddenAddress('224.0.0.1')).toBe(true);
    expect(isForbiddenAddress('fd00::1')).toBe(true);
    expect(isForbiddenAddress('2408:8000::1')).toBe(false);
  });

  it('an allowance lets private receivers through: every address, or named hosts only', async () => {
    const all = createWebhookService({
      db: db.db,
      clock: w.time.clock,
      piiKey: w.services.piiKey,
      urlPolicy: { allowPrivate: true, allowHosts: [] },
    });
    await expect(
      all.register(admin, { name: 'local', url: `${base}/a`, topics: ['listing.published'] }),
    ).resolves.toMatchObject({ id: expect.any(String) });
    const named = createWebhookService({
      db: db.db,
      clock: w.time.clock,
      piiKey: w.services.piiKey,
      urlPolicy: { allowPrivate: false, allowHosts: ['localhost'] },
    });
    await expect(
      named.register(admin, { name: 'named', url: 'http://localhost:1/b', topics: ['listing.published'] }),
    ).resolves.toMatchObject({ id: expect.any(String) });
    expect(
      await caught(
        named.register(admin, { name: 'other', url: 'http://127.0.0.1:1/c', topics: ['listing.published'] }),
      ),
    ).toMatchObject({ messageKey: 'webhooks.privateAddress' });
  });

  it('is checked again at delivery: an endpoint that now points inside is not posted to', async () => {
    // Deactivate the endpoints of the previous test, then register one while allowed.
    await db.db.update(outboxEndpoints).set({ active: false });
    const allowed = createWebhookService({
      db: db.db,
      clock: w.time.clock,
      piiKey: w.services.piiKey,
      urlPolicy: { allowPrivate: true, allowHosts: [] },
    });
    const { id } = await allowed.register(admin, {
      name: 'was allowed',
      url: `${base}/later`,
      topics: ['listing.published'],
    });
    await w.announcedListing();
    const dispatcher = createDispatcher({
      db: db.db,
      clock: w.time.clock,
      logger: createLogger(w.config),
      piiKey: w.services.piiKey,
      guardUrl: (url) => assertPublicUrl(url, { allowPrivate: false, allowHosts: [] }),
    });
    const before = hits;
    expect(await dispatcher.drain()).toBeGreaterThan(0);
    expect(hits).toBe(before);
    const [d] = await db.db.select().from(outboxDeliveries).where(eq(outboxDeliveries.endpointId, id));
    expect(d).toMatchObject({ status: 'pending', lastError: 'refused: webhooks.privateAddress' });
  });
});
