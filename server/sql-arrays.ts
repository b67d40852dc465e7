/**
 * A list of ids as one array parameter: `column = any(${uuidArray(ids)})`. The statement's text
 * is then the same whatever the list's length, so PostgreSQL parses, describes and plans it once
 * per connection, where an `in ($1, …, $n)` list is a new statement for every length (a round
 * trip more on a busy server). Passed as PostgreSQL's array literal: uuids need no quoting.
 */
import { sql } from 'drizzle-orm';

export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
