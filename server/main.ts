import http from 'node:http';
import path from 'node:path';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express from 'express';
import { projectRoot } from '../db/paths.js';
import { type Clock, systemClock } from './clock.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { seedDemoData } from './demo/seed.js';
import { createHttpApp } from './http/app.js';
import { buildAssets } from './http/assets.js';
import { createJobRunner } from './jobs/runner.js';
import { createLogger, type Logger } from './logger.js';
import { createDispatcher } from './outbox/service.js';
import { assertPublicUrl, urlPolicyOf } from './outbox/url-guard.js';
import { createRealtime } from './realtime/io.js';
import { createServices } from './services.js';

declare const __LASTMILE_BUNDLED__: boolean | undefined;
/** True in the esbuild bundle (`npm start`), false under tsx (`npm run dev`). */
const BUNDLED = typeof __LASTMILE_BUNDLED__ !== 'undefined' && __LASTMILE_BUNDLED__;

export interface StartOptions {
  config: Config;
  logger?: Logger;
  /**
   * 'build' serves build/ (the production bundle), 'vite' the dev server, 'none' no UI;
   * a handler stands in for Remix in tests of the server itself.
   */
  ui?: 'build' | 'vite' | 'none' | express.RequestHandler;
  /** Tests: a settable clock for every service, socket and job of this process. */
  clock?: Clock;
  /** Tests: 'manual' leaves the job runner stopped; the caller runs due jobs with `jobs.runDue()`. */
  jobs?: 'auto' | 'manual';
}

/** The composition root: database, services, HTTP + Remix, Socket.IO, and an orderly shutdown. */
export async function startServer({
  config,
  logger = createLogger(config),
  ui = 'build',
  clock = systemClock,
  jobs: runJobs = 'auto',
}: StartOptions) {
  const root = projectRoot();
  const database = await openDatabase(config, logger);
  if (config.SEED_DEMO_DATA) await seedDemoData({ db: database.handle, config, logger });

  const services = createServices({ db: database.handle, config, clock, logger });
  const httpServer = http.createServer();

  let vite: import('vite').ViteDevServer | undefined;
  const assets: express.RequestHandler[] = [];
  let hashedAssets: express.RequestHandler | undefined;
  let remix: Parameters<typeof createHttpApp>[0]['remix'];
  if (ui === 'vite') {
    const { createServer } = await import('vite');
    vite = await createServer({ root, server: { middlewareMode: true, hmr: { server: httpServer } } });
    assets.push(vite.middlewares);
    const v = vite;
    remix = (getLoadContext) =>
      createRequestHandler({
        build: () => v.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
        mode: 'development',
        getLoadContext,
      });
  } else if (ui === 'build') {
    // The hashed files are served ahead of everything else (buildAssets); the rest of the
    // client folder (favicon) is not hashed: an hour.
    hashedAssets = buildAssets(path.join(root, 'build/client/assets'));
    assets.push(express.static(path.join(root, 'build/client'), { maxAge: '1h', index: false }));
    const build = (await import(path.join(root, 'build/server/index.js'))) as ServerBuild;
    remix = (getLoadContext) => createRequestHandler({ build, mode: 'production', getLoadContext });
  } else if (ui === 'none') {
    remix = () => (_req, res) => {
      res.status(404).type('text/plain').send('Not Found');
    };
  } else {
    remix = () => ui;
  }

  const publicConfig = {
    rulesProfile: config.RULES_PROFILE,
    accelerationFactor: config.RULES_PROFILE === 'accelerated' ? config.RULES_ACCELERATION_FACTOR : 1,
    simulatedPayments: !config.STRIPE_SECRET_KEY,
    stripePublishableKey: config.STRIPE_PUBLISHABLE_KEY ?? null,
  };
  const app = createHttpApp({
    services,
    config,
    logger,
    publicConfig,
    remix,
    assets,
    ...(hashedAssets && { hashedAssets }),
    dev: ui === 'vite',
    root,
  });
  httpServer.on('request', app);
  const realtime = await createRealtime({
    httpServer,
    services,
    logger,
    redisUrl: config.REDIS_URL,
    redisPrefix: config.REDIS_PREFIX,
    publicOrigin: config.PUBLIC_ORIGIN,
  });
  // Durable timers (listings going live and ending, later deadlines): any number of processes may run them.
  const jobs = createJobRunner({
    db: database.handle.db,
    clock,
    logger,
    ...services.jobRunner,
    concurrency: config.JOB_CONCURRENCY,
    urgentLeadMs: config.JOB_URGENT_LEAD_MS,
    listen: (channel, onNotify) => database.handle.sql.listen(channel, () => onNotify()),
  });

  // The outbox: partners' feeds (and later webhooks), posted in order per endpoint, signed, retried (ADR 019).
  const outbox = createDispatcher({
    db: database.handle.db,
    clock,
    logger,
    piiKey: services.piiKey,
    // Again at every delivery: a name registered public may resolve elsewhere now (ADR 028).
    guardUrl: (url) => assertPublicUrl(url, urlPolicyOf(config)),
    prepare: (event) =>
      event.topic.startsWith('credit.') ? services.credit.partnerData(event) : event.payload,
    listen: (channel, onNotify) => database.handle.sql.listen(channel, () => onNotify()),
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  await services.identity.scheduleMaintenance();
  await services.payments.scheduleMaintenance();
  await services.transparency.scheduleMaintenance();
  if (runJobs === 'auto') {
    jobs.start();
    outbox.start();
  }
  logger.info(
    { url, embeddedDatabase: database.embedded, rulesProfile: config.RULES_PROFILE },
    'LastMile is listening',
  );

  let closing: Promise<void> | undefined;
  /** Stop accepting, close sockets, let in-flight requests finish, then close the pool. */
  function close(): Promise<void> {
    closing ??= (async () => {
      const idle = setInterval(() => httpServer.closeIdleConnections(), 200);
      await realtime.close(); // io.close() also closes httpServer and waits for in-flight requests
      clearInterval(idle);
      await jobs.stop();
      await outbox.stop();
      services.notifications.close(); // the SMTP connection pool, once no job can send
      await vite?.close();
      await database.close();
      logger.info('shut down cleanly');
    })();
    return closing;
  }

  return { url, port, services, io: realtime.io, db: database.handle, jobs, outbox, close };
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  const server = await startServer({ config, logger, ui: BUNDLED ? 'build' : 'vite' });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // A second signal (a process group, an impatient Ctrl-C) must not cut the shutdown short and
    // orphan the embedded PostgreSQL; the timer below bounds the wait.
    process.on(signal, () => {
      if (stopping) return logger.warn({ signal }, 'shutdown already in progress');
      stopping = true;
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        logger.error('shutdown timed out; exiting');
        process.exit(1);
      }, 15_000);
      force.unref();
      server.close().then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

const isEntry =
  process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isEntry) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
