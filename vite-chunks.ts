import path from 'node:path';
import type { GetManualChunk, ManualChunkMeta } from 'rollup';

/**
 * How the browser's JavaScript is cut into files (ADR 034). Rollup's default gives every set of
 * routes that shares a module a chunk of its own: the live auction page loaded 22 scripts, most
 * under 2 KB, and on slow 4G (a 562 ms round trip, six connections per host over HTTP/1.1) each
 * wave of six requests costs a round trip. Two chunks replace them:
 *
 * - `shell`: the client entry and everything it and the root route import (React, Remix,
 *   i18next, the header). Every page loads all of it anyway.
 * - `public`: our own modules that a visitor's page (PUBLIC_ROUTES) shares with another route
 *   (formatting, countdowns, listing cards, badges, the sale's steps). A phone receives a few KB
 *   one page does not use, once: the file is cached for the next page.
 *
 * A module that pulls in a library outside the shell (zod, charts) stays where Rollup puts it,
 * so no visitor's page loads that library through the shared chunk. Route modules, the message
 * catalogs (dynamic imports) and everything else keep Rollup's default.
 */
const SHELL_ENTRIES = ['app/root.tsx', 'app/entry.client.tsx'];
/** The pages a visitor browses on a phone between auctions. */
const PUBLIC_ROUTES = [
  'app/routes/_index.tsx',
  'app/routes/auctions._index.tsx',
  'app/routes/auctions.$listingId.tsx',
  'app/routes/courts.$code.tsx',
  'app/routes/calendar.tsx',
];

const isLibrary = (id: string) => id.includes('/node_modules/');

export function browserChunks(root: string): GetManualChunk {
  let chunkOf: Map<string, 'shell' | 'public'> | undefined;
  return (id: string, meta: ManualChunkMeta) => {
    chunkOf ??= plan(root, meta);
    return chunkOf.get(id);
  };
}

function plan(root: string, { getModuleIds, getModuleInfo }: ManualChunkMeta) {
  const resolve = (files: string[]) => files.map((f) => path.resolve(root, f));
  /** The modules `from` imports statically, directly or not (itself included). */
  const reach = (from: Iterable<string>) => {
    const seen = new Set<string>();
    const todo = [...from];
    while (todo.length) {
      const id = todo.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      todo.push(...(getModuleInfo(id)?.importedIds ?? []));
    }
    return seen;
  };

  const chunkOf = new Map<string, 'shell' | 'public'>();
  const shellEntries = resolve(SHELL_ENTRIES);
  const rootRoute = shellEntries[0];
  const shell = reach(shellEntries);
  // The client entry itself too (it exports nothing, so the shell becomes the entry's file): the
  // browser then asks for the shell first among the scripts, in the first round trip beside the
  // stylesheets, where the tiny entry file would take that slot and the shell wait for the next.
  for (const id of shell) if (id !== rootRoute) chunkOf.set(id, 'shell');

  // How many entries (routes) reach each module besides the shell's own two.
  const entries = [...getModuleIds()].filter(
    (id) => getModuleInfo(id)?.isEntry && !shellEntries.includes(id),
  );
  const users = new Map<string, number>();
  for (const entry of entries) for (const id of reach([entry])) users.set(id, (users.get(id) ?? 0) + 1);

  const publicRoutes = resolve(PUBLIC_ROUTES);
  for (const id of reach(publicRoutes)) {
    if (shell.has(id) || isLibrary(id) || getModuleInfo(id)?.isEntry || (users.get(id) ?? 0) < 2) continue;
    // Nothing it imports may be a library outside the shell (zod for a form's checks, charts).
    if ([...reach([id])].some((dep) => isLibrary(dep) && !shell.has(dep))) continue;
    chunkOf.set(id, 'public');
  }
  return chunkOf;
}
