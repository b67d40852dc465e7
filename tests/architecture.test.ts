import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ImportEdge, importsOf, readImportGraph } from './support/import-graph.js';

/**
 * What may import what (ADR 010, "What may import what"), read from the source with the
 * TypeScript parser. A failure names the importing file and line, the import as written, and
 * the rule it breaks. Type-only imports (`import type`, inline `type` specifiers, `export type`,
 * `import('…').T`) cost nothing at run time and may reach further than values.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The files of server/ that app/ may import as values: pure code (no database, no state), which
 * the Remix bundle may carry to the browser. Everything else reaches routes through
 * `context.services` (TOOLCHAIN pitfall 3: a module imported by both bundles exists twice).
 */
const APP_MAY_IMPORT = new Set([
  'server/errors.ts', // DomainError and its codes, mapped to a status by route.server.ts
  'server/affordances.ts', // what this viewer may do now: pure decide functions
  'server/http/cookies.ts', // cookie names and parsing, shared with the socket handshake
  'server/identity/permissions.ts', // can(): which links and buttons a role sees
  'server/auctions/rules.ts', // price bounds, increments, state names (art. cited there)
  'server/calendar/working-days.ts', // working days with the national holidays (aid deadlines on pages)
  'server/calendar/cn-holidays.ts', // the State Council's yearly arrangement, as data
  'server/auctions/schemas.ts', // the search form's zod schema
  'server/identity/schemas.ts', // ID number and credit code schemas, used by the listing terms' schema
  'server/identity/national-id.ts', // GB 11643 check character (pure)
  'server/identity/credit-code.ts', // GB 32100 check character (pure)
  'server/identity/forced-change.ts', // the paths open while a password change is due (ADR 028), pure
  'server/aid/rules.ts', // the payout formula shown beside a claim
  'server/cases/schemas.ts', // zod schemas of case and asset forms, YuanSchema
  'server/cases/time-limit.ts', // the time limit's date arithmetic (Beijing dates), pure
  'server/bounties/rules.ts', // the bounty's channels, periods and reward arithmetic, pure
  'server/funds/plan.ts', // the distribution plan's classes, rules and fee scale, pure
  'server/credit/rules.ts', // the list's grounds, terms and restricted items (pure, cited by article)
  'server/credit/schemas.ts', // the credit forms' zod schemas
  'server/funds/rules.ts', // claim classes and deferral reasons of the funds forms, pure
  'server/realtime/events.ts', // the socket event contract shared with the browser
  'server/divisions/divisions.ts', // the administrative divisions code list, for the pickers (pure data)
  'server/divisions/divisions.json', // its data (GB/T 2260 names and codes)
  'server/indicators/rules.ts', // the indicators' definitions, targets and traffic lights (ADR 018)
  'server/csv.ts', // the one CSV helper: every export and bank file (issue 22)
  'server/payments/decline-reasons.ts', // a card decline's reason in words, never the raw code (pure)
  'server/identity/account-rules.ts', // who may do what to an account, the role list (ADR 024)
]);

/** Every file of a module may be imported from outside it when it has one of these names (ADR 010). */
const ALWAYS_PUBLIC = ['service.ts', 'rules.ts', 'schemas.ts'];

/**
 * Each module folder under server/, with the files other modules may import besides
 * ALWAYS_PUBLIC: `files` as values, `types` for type-only imports. Every folder must be listed,
 * so a new module declares its surface when it lands.
 */
const MODULES: Record<string, { files: string[]; types?: string[] }> = {
  // post(), ensureAccount(), statement(): every money movement, inside the caller's transaction
  ledger: { files: ['ledger.ts'] },
  // The process's Prometheus registry: counters and histograms observed where things happen
  metrics: { files: ['metrics.ts', 'database-gauges.ts'] },
  // scheduleJob(), cancelJob(): durable timers written in the caller's transaction
  jobs: { files: ['schedule.ts'] },
  // recordAudit(): the transition's audit entry, in the same transaction as the transition
  audit: { files: ['audit.ts'] },
  // Actor, can(), requirePermission(): every service checks the same permissions;
  // sealIdentity(): a priority purchaser's identity sealed and matched as a bidder's verified ID;
  // encrypt()/keyedDigest(): the credit list's sealed ID numbers and the outbox's sealed secrets
  // forced-change.ts: the page gate of server/http reads the paths open while a change is due (ADR 028)
  identity: { files: ['permissions.ts', 'real-name.ts', 'crypto.ts', 'forced-change.ts'] },
  // BlobStorage, sniffContentType, UPLOAD_RULES: one upload check for case documents and aid claims
  storage: { files: ['storage.ts'] },
  // working days with the national holidays and 调休: aid's decision deadline, the list's 3 working days
  // the administrative divisions code list (pure data): the pickers and any search read it
  divisions: { files: ['divisions.ts'] },
  calendar: { files: ['working-days.ts'] },
  // cookie parsing, reused by the socket handshake
  http: { files: ['cookies.ts'] },
  // LoggedEvent (the bid log's row, told by the event bus and the auction room); RulesProfile
  auctions: { files: [], types: ['bidding.ts', 'profile.ts'] },
  // only service.ts, rules.ts, schemas.ts
  aid: { files: [] },
  // timeLimitOf() and the Beijing date helpers, pure: the quality indicators compute with them
  // courtsUnder(): the quality indicators scope a court's figures by the same hierarchy
  cases: { files: ['time-limit.ts', 'scope.ts'] },
  // the quality dashboard: services.ts composes it; its rules.ts (definitions, targets) is public
  indicators: { files: [] },
  // decideBalanceActions(): the road after the sale offers the balance's payment as the pay page decides it
  payments: { files: ['affordances.ts'] },
  // signed checkpoints of the auction log: services.ts composes it, server/http serves its proofs
  transparency: { files: [] },
  // batches, maker-checker, bank files: purposes (aid today) call its service and register hooks
  disbursements: { files: [] },
  notifications: { files: [] },
  // after full payment: the ruling and the handover; services.ts composes it, payments calls its hook
  sales: { files: [] },
  // case funds: costs, claims, the distribution plan (plan.ts, pure), its objections and payouts
  funds: { files: ['plan.ts'] },
  // renderPdf(): court documents (the sale's ruling, the distribution plan) as PDF with Chinese text
  documents: { files: ['pdf.ts'] },
  dashboard: { files: [] },
  // the dishonest-debtor list, restrictions, the public query, the partners (ADR 019)
  credit: { files: [] },
  // the court API's idempotency keys (ADR 026): services.ts composes it, server/http uses it
  idempotency: { files: [] },
  // bounty notices, tips and rewards (ADR 022)
  bounties: { files: [] },
  // enqueue() in the caller's transaction; the signature scheme receivers copy (ADR 019);
  // emitEvent(): a use case's one line that announces its change to webhooks (ADR 023)
  outbox: { files: ['outbox.ts', 'signing.ts', 'events.ts'] },
  // the practice auction (模拟拍卖, ADR 033): services.ts composes it; the socket contract and the
  // pages read its view's types
  practice: { files: [], types: ['views.ts'] },
  // the socket server: main.ts starts it; its event contract (events.ts) is app/'s to import
  realtime: { files: [] },
  // demo data: reached only from the entry points main.ts and cli.ts
  demo: { files: [] },
};

/** Composition roots and entry points: they build the modules, so they may import any file. */
const ROOTS = ['server/services.ts', 'server/main.ts', 'server/cli.ts'];
const isRoot = (file: string) => ROOTS.includes(file) || file.startsWith('server/demo/');

const isTest = (file: string) => /\.test\.tsx?$/.test(file);
/** The module folder a server file belongs to; null for the shared top-level files (errors.ts …). */
const moduleOf = (file: string) => /^server\/([^/]+)\//.exec(file)?.[1] ?? null;

const graph = readImportGraph(ROOT, ['app', 'server', 'db']).filter((e) => !e.external && !isTest(e.from));
const show = (e: ImportEdge, why: string) => `${e.from}:${e.line} imports '${e.specifier}': ${why}`;

describe('import rules', () => {
  it('db/ is the bottom floor: it imports nothing from server/ or app/', () => {
    const bad = graph
      .filter((e) => e.from.startsWith('db/') && /^(server|app)\//.test(e.to))
      .map((e) => show(e, 'db/ never imports server/ or app/ (ADR 010)'));
    expect(bad).toEqual([]);
  });

  it('app/ imports from server/ only pure files as values, and from db/ only types, never db/client', () => {
    const bad = graph
      .filter((e) => e.from.startsWith('app/'))
      .flatMap((e) => {
        if (e.to === 'db/client.ts')
          return [show(e, 'app/ never imports the database client, not even its types')];
        if (e.to.startsWith('db/') && !e.typeOnly) return [show(e, 'app/ imports only types from db/')];
        if (e.to.startsWith('server/') && !e.typeOnly && !APP_MAY_IMPORT.has(e.to))
          return [
            show(
              e,
              `not a pure file app/ may import (APP_MAY_IMPORT); use 'import type' or context.services`,
            ),
          ];
        return [];
      });
    expect(bad).toEqual([]);
  });

  it('the pure files app/ imports reach, by value, only other files app/ may import', () => {
    // Otherwise an allowed file could pull the database client into the Remix bundle.
    const bad = graph
      .filter((e) => APP_MAY_IMPORT.has(e.from) && !e.typeOnly && /^(server|db)\//.test(e.to))
      .filter((e) => !APP_MAY_IMPORT.has(e.to))
      .map((e) =>
        show(e, 'a file in APP_MAY_IMPORT must stay pure: it may value-import only others of the list'),
      );
    expect(bad).toEqual([]);
  });

  it('outside a module, only its service.ts, rules.ts, schemas.ts and declared public files are imported', () => {
    const bad = graph
      .filter((e) => e.from.startsWith('server/') && !isRoot(e.from))
      .flatMap((e) => {
        const target = moduleOf(e.to);
        if (!target || target === moduleOf(e.from)) return [];
        const declared = MODULES[target];
        if (!declared) return [show(e, `server/${target}/ is not declared in MODULES`)];
        const name = e.to.slice(`server/${target}/`.length);
        if (ALWAYS_PUBLIC.includes(name) || declared.files.includes(name)) return [];
        if (e.typeOnly && declared.types?.includes(name)) return [];
        const allowed = [...ALWAYS_PUBLIC, ...declared.files].join(', ');
        const types = declared.types ? `; types also from ${declared.types.join(', ')}` : '';
        return [show(e, `${target}/${name} is private to ${target}/ (public: ${allowed}${types})`)];
      });
    expect(bad).toEqual([]);
  });

  it('outside the composition roots, services.ts, main.ts and cli.ts are imported only as types', () => {
    // A use case that built the services would build the world inside itself (and a cycle).
    const bad = graph
      .filter((e) => e.from.startsWith('server/') && !isRoot(e.from) && ROOTS.includes(e.to) && !e.typeOnly)
      .map((e) => show(e, 'only the composition roots and server/demo/ build the services'));
    expect(bad).toEqual([]);
  });

  it('the table names every module folder and only files that exist', () => {
    const folders = readdirSync(path.join(ROOT, 'server')).filter((n) =>
      statSync(path.join(ROOT, 'server', n)).isDirectory(),
    );
    expect(Object.keys(MODULES).sort()).toEqual(folders.sort());
    const named = Object.entries(MODULES).flatMap(([m, d]) =>
      [...d.files, ...(d.types ?? [])].map((f) => `server/${m}/${f}`),
    );
    expect(named.filter((f) => !existsSync(path.join(ROOT, f)))).toEqual([]);
    expect([...APP_MAY_IMPORT].filter((f) => !existsSync(path.join(ROOT, f)))).toEqual([]);
  });
});

describe('the import reader', () => {
  it('tells type-only imports from value imports', () => {
    const source = [
      "import type { AppError } from '../server/errors.js';",
      "import { type Actor, type Permission } from '../server/identity/permissions.js';",
      "import { type Actor as A, can } from '../server/identity/permissions.js';",
      "import * as rules from '../server/auctions/rules.js';",
      "import '../server/clock.js';",
      "export type { Clock } from '../server/clock.js';",
      "export { systemClock } from '../server/clock.js';",
      "export * from '../server/validation.js';",
      "type S = import('../server/services.js').Services;",
      "const load = () => import('../db/client.js');",
    ].join('\n');
    const edges = importsOf(ROOT, 'tests/example.ts', source);
    expect(edges.map((e) => [e.line, e.to, e.typeOnly])).toEqual([
      [1, 'server/errors.ts', true],
      [2, 'server/identity/permissions.ts', true],
      [3, 'server/identity/permissions.ts', false],
      [4, 'server/auctions/rules.ts', false],
      [5, 'server/clock.ts', false],
      [6, 'server/clock.ts', true],
      [7, 'server/clock.ts', false],
      [8, 'server/validation.ts', false],
      [9, 'server/services.ts', true],
      [10, 'db/client.ts', false],
    ]);
  });

  it('reads the whole tree: db/, app/ and server/ all have imports', () => {
    // A reader that silently found nothing would pass every rule above.
    for (const folder of ['db/', 'app/', 'server/'])
      expect(graph.filter((e) => e.from.startsWith(folder)).length).toBeGreaterThan(10);
  });
});
