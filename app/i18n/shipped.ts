import type { i18n, Resource } from 'i18next';

type Tree = Record<string, unknown>;

/**
 * Records every message an instance looks up while it renders a page (plural forms, fallbacks
 * and whole objects included: i18next reads them all through the resource store), so the page
 * ships those and nothing else (ADR 004, "Messages on the wire"). Returns the recorded subset.
 */
export function recordMessages(instance: i18n): () => Resource {
  const used: Record<string, Tree> = {};
  // The store's lookup is not in i18next's published types; every t() goes through it.
  type Lookup = (lng: string, ns: string, key: string | string[], options?: object) => unknown;
  const store = instance.services.resourceStore as unknown as { getResource: Lookup };
  const get = store.getResource.bind(store);
  store.getResource = (lng, ns, key, options) => {
    const value = get(lng, ns, key, options);
    if (value != null && key != null) {
      const path = Array.isArray(key) ? key.map(String) : String(key).split('.');
      used[lng] ??= {};
      keep(used[lng], path, value);
    }
    return value;
  };
  return () => Object.fromEntries(Object.entries(used).map(([lng, tree]) => [lng, { translation: tree }]));
}

/** The object under `k` in `at`, made when there is none. */
function child(at: Tree, k: string): Tree {
  const next = at[k];
  if (next !== null && typeof next === 'object') return next as Tree;
  const made: Tree = {};
  at[k] = made;
  return made;
}

/** Sets `value` at `path` in `into`, copying objects (the catalog itself is never shared or changed). */
function keep(into: Tree, path: readonly string[], value: unknown) {
  const at = path.slice(0, -1).reduce(child, into);
  const last = path.at(-1)!;
  if (value !== null && typeof value === 'object') {
    const target = child(at, last);
    for (const [k, v] of Object.entries(value)) keep(target, [k], v);
  } else at[last] = value;
}

/** The global the page's shipped messages travel in. */
export const SHIPPED_GLOBAL = '__lmMessages';

/**
 * The script that hands the messages to the browser's instance. It runs while the HTML is
 * parsed, before the (deferred) module scripts hydrate, and removes itself: React hydrates the
 * whole document and would not expect an element it did not render.
 */
export function shippedScript(resources: Resource, nonce: string): string {
  const json = JSON.stringify(resources)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const attr = nonce.replace(/[^A-Za-z0-9+/=_-]/g, '');
  return `<script nonce="${attr}">window.${SHIPPED_GLOBAL}=${json};document.currentScript.remove()</script>`;
}
