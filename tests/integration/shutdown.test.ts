import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server/main';
import { createTestDatabase } from '../support/db';
import { testConfig } from '../support/fixtures';

describe('graceful shutdown', () => {
  it('finishes in-flight requests, closes sockets and the pool, and refuses new connections', async () => {
    const db = await createTestDatabase();
    const config = testConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO_DATA: 'false',
    });
    const slow = (_req: unknown, res: { send(body: string): void }) => {
      setTimeout(() => res.send('finished'), 400);
    };
    const server = await startServer({ config, ui: slow as never });
    const base = `http://127.0.0.1:${server.port}`;
    const socket = connect(base, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const disconnected = new Promise((r) => socket.once('disconnect', r));

    const inFlight = fetch(`${base}/slow`);
    await new Promise((r) => setTimeout(r, 100)); // the request has reached the handler
    const closing = server.close();

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finished');
    await disconnected;
    await closing;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    await expect(server.db.sql`select 1`).rejects.toThrow();
    await db.drop();
  });

  it('the built server exits 0 on SIGTERM after shutting down cleanly', async () => {
    if (!existsSync('build/server/main.js')) execSync('npm run build', { stdio: 'ignore' });
    const db = await createTestDatabase();
    const child = spawn(process.execPath, ['build/server/main.js'], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        NODE_ENV: 'test',
        // What is under test is the shutdown; the demo data (seconds of seeding) is not.
        SEED_DEMO_DATA: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
      child.stdout.on('data', () => {
        const m = out.match(/"url":"(http:\/\/localhost:\d+)"/);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('"signal":"SIGTERM"');
    expect(out).toContain('shut down cleanly');
    await db.drop();
  });
});
