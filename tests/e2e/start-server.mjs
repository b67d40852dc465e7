// Starts the production build (build/server/main.js) for the browser tests, on a fresh database:
// - TEST_DATABASE_URL or DATABASE_URL set: a new database `lastmile_e2e_<timestamp>` on that
//   server, dropped again when the server stops;
// - otherwise an embedded PostgreSQL in a fresh temporary directory.
// The server migrates and seeds the demo accounts by itself on first start.
//
// The server runs as a child started with `node` directly (an npm wrapper would leave it running
// when stopped, TOOLCHAIN pitfall 6). It gets its own process group, so a signal reaches it
// exactly once: Playwright signals this script's group, and this script forwards the signal.
// (The server handles the first SIGTERM gracefully; a second one would kill it mid-shutdown.)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import postgres from 'postgres';
import { SMTPServer } from 'smtp-server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(root, 'build/server/main.js');
const port = process.env.E2E_PORT ?? process.env.PORT ?? '3100';

if (!existsSync(entry)) {
  console.error(`e2e: ${path.relative(root, entry)} is missing; run \`npm run build\` first.`);
  process.exit(1);
}

const env = {
  ...process.env,
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: port,
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
  SEED_DEMO_DATA: 'true',
  // The per-account lockout is under test (5 failures, 15 minutes: the specs check both numbers);
  // the per-IP limit (every test logs in from 127.0.0.1) must not trip first.
  LOGIN_MAX_FAILURES: '5',
  LOGIN_LOCK_MINUTES: '15',
  LOGIN_IP_MAX_FAILURES: '1000',
  // The webhook receivers the specs start listen on 127.0.0.1 (ADR 028's SSRF guard refuses it otherwise).
  WEBHOOK_ALLOW_PRIVATE: 'true',
  // The practice auction's round (ADR 033): 45 s, art. 20's five minutes at 1/20 (15 s); the same
  // values as tests/e2e/practice.ts PRACTICE_E2E_ENV, which the accelerated server passes too.
  PRACTICE_CLOCK_FACTOR: '20',
  PRACTICE_WINDOW_SECONDS: '45',
};

// A mail catcher (ADR 028): the server's e-mails go over real SMTP to a server here, and the specs
// read them at http://127.0.0.1:<port + 11000>/messages?to=<address> (fixtures.ts `mailTo`).
const smtpPort = Number(port) + 10000;
const mailViewPort = Number(port) + 11000;
const mails = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
        mails.push({ to: to?.value[0]?.address ?? '', subject: mail.subject ?? '', text: mail.text ?? '' });
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(smtpPort, '127.0.0.1');
createServer((req, res) => {
  const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(mails.filter((m) => !to || m.to === to)));
}).listen(mailViewPort, '127.0.0.1');
env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;

/** Undoes what was prepared (drops the database or removes the data directory). */
let cleanup = async () => {};

const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
if (serverUrl) {
  const name = `lastmile_e2e_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  console.log(`e2e: fresh database ${name} on ${url.host}`);
  cleanup = async () => {
    const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await sql.end();
    }
  };
} else {
  const dir = path.join(os.tmpdir(), `lastmile-e2e-${port}`, 'pg');
  await rm(dir, { recursive: true, force: true });
  delete env.DATABASE_URL;
  env.EMBEDDED_PG_DIR = dir;
  console.log(`e2e: fresh embedded PostgreSQL in ${dir}`);
  cleanup = () => rm(path.dirname(dir), { recursive: true, force: true });
}

const child = spawn(process.execPath, [entry], { cwd: root, env, stdio: 'inherit', detached: true });
let exited = false;

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (!exited) child.kill(signal);
  });
}
// Should this script die of an error, do not leave the server running.
process.on('exit', () => {
  if (!exited) child.kill('SIGKILL');
});

child.on('exit', async (code, signal) => {
  exited = true;
  try {
    await cleanup();
  } catch (error) {
    console.error('e2e: cleanup failed:', error);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
