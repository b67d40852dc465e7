/**
 * Keyset paging of the staff lists (issue 22): newest first by an instant, ties broken by the id,
 * `before` the previous page's last row. Shared by the accounts, the deposits, the listings and
 * the payment batches (the aid queue keeps its own key, its order being the deadline), so no list
 * grows its own cursor format. Totals are the caller's: a count over the same filter.
 */
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { isUuid } from './validation.js';

/** The cursor of a row: its instant and its id. */
export const keysetCursor = (at: Date, id: string) => `${at.toISOString()}_${id}`;

/** The cursor back; null when it is not one of ours (a bad cursor is the first page, not an error). */
export function parseKeysetCursor(c: string | undefined | null): { at: Date; id: string } | null {
  const [at, id] = (c ?? '').split('_');
  const when = at ? new Date(at) : null;
  return when && !Number.isNaN(when.getTime()) && id && isUuid(id) ? { at: when, id } : null;
}

/** The rows after the cursor in (instant desc, id desc) order; undefined (no condition) without one. */
export function olderThan(at: AnyColumn | SQL, id: AnyColumn, cursor: string | undefined | null) {
  const c = parseKeysetCursor(cursor);
  return c ? sql`(${at}, ${id}) < (${c.at.toISOString()}::timestamptz, ${c.id}::uuid)` : undefined;
}

/**
 * A page out of the `limit + 1` rows read: the rows to show and the next page's cursor when the
 * extra row says there is one. `limit: null` is every row (the CSV exports).
 */
export function keysetPage<T>(rows: T[], limit: number | null, cursorOf: (row: T) => string) {
  const more = limit !== null && rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { rows: shown, next: more ? cursorOf(shown.at(-1)!) : null };
}

/** A LIKE pattern matching `text` anywhere, its own % _ and \ taken literally. */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
