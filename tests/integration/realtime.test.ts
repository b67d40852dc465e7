import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/seed-accounts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/events';
import { meta } from '../support/fixtures';
import { startTestServer } from '../support/server';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let server: Awaited<ReturnType<typeof startTestServer>>;
const open: Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(() => server.stop());

async function client(cookie?: string): Promise<Client> {
  const socket: Client = connect(server.url, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
  });
  open.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

async function login(email: string) {
  const r = await server.services.identity.login({ email, password: DEMO_PASSWORD }, meta);
  const s = await server.services.identity.resolveSession(r.token);
  return { cookie: `lm_session=${r.token}`, actor: s!.actor };
}

const join = (s: Client, room: string) => s.emitWithAck('room:join', { room });

describe('socket handshake and rooms', () => {
  it('an anonymous watcher may join a public auction room but no private room', async () => {
    const anon = await client();
    expect(await join(anon, 'auction:abc-123')).toEqual({ ok: true, data: { room: 'auction:abc-123' } });
    const denied = await join(anon, 'user:someone');
    expect(denied).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('a signed-in user joins his own rooms and no one else’s', async () => {
    const { cookie, actor } = await login('clerk@demo.lastmile.test');
    const s = await client(cookie);
    expect((await join(s, `user:${actor.userId}`)).ok).toBe(true);
    expect((await join(s, `org:${actor.organisationId}`)).ok).toBe(true);
    expect(await join(s, 'user:00000000-0000-0000-0000-000000000000')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await join(s, 'org:00000000-0000-0000-0000-000000000000')).toMatchObject({ ok: false });
  });

  it('a forged cookie is an anonymous connection', async () => {
    const s = await client('lm_session=forged-token');
    expect(await join(s, 'user:anything')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('validates payloads', async () => {
    const s = await client();
    expect(await join(s, 'admin:everything')).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await s.emitWithAck('room:join', { room: 42 } as never)).toMatchObject({ ok: false });
  });

  it('answers clock sync with the server time', async () => {
    const s = await client();
    const before = Date.now();
    const r = await s.emitWithAck('time:sync', {});
    expect(r.ok && r.data.serverTime).toBeGreaterThanOrEqual(before - 5);
    expect(r.ok && r.data.serverTime).toBeLessThanOrEqual(Date.now() + 5);
  });

  it('revoking a session disconnects that session’s sockets, not others', async () => {
    const a = await login('panel@demo.lastmile.test');
    const b = await login('panel@demo.lastmile.test');
    const sa = await client(a.cookie);
    const sb = await client(b.cookie);
    const told = new Promise((resolve) => sa.once('session:revoked', resolve));
    const gone = new Promise((resolve) => sa.once('disconnect', resolve));
    await server.services.identity.logout(a.actor);
    expect(await told).toEqual({ reason: 'revoked' });
    expect(await gone).toBe('io server disconnect');
    expect(sb.connected).toBe(true);
    expect((await join(sb, `user:${b.actor.userId}`)).ok).toBe(true);
    // And the revoked cookie no longer authenticates a new connection.
    const again = await client(a.cookie);
    expect(await join(again, `user:${a.actor.userId}`)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });
});
