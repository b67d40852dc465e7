import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '/work/wt-search/db/schema/index.js';
import { buildServices, testConfig } from '/work/wt-search/tests/support/fixtures.js';

const url = process.argv[2]!;
const inputs: string[] = JSON.parse(process.argv[3]!);
const explain = process.env.EXPLAIN === '1';
let captured: [string, unknown[]][] = [];
const sql = postgres(url, {
  max: 10, onnotice: () => {}, types: { bigint: postgres.BigInt },
  connection: { timezone: 'UTC', application_name: 'probe' },
  debug: (_c, q, p) => { if (!q.startsWith('explain')) captured.push([q, p as unknown[]]); },
});
const db = drizzle(sql, { schema, casing: 'snake_case' });
const services = buildServices({ db, sql, close: () => sql.end() } as never, { clock: () => new Date(), config: testConfig() });
for (const q of inputs) {
  const input = Object.fromEntries(new URLSearchParams(q));
  for (let i = 0; i < 3; i++) {
    captured = [];
    const s = performance.now();
    const r = await services.listings.search(input, 20, { facets: true });
    const ms = performance.now() - s;
    if (i === 2) console.log(`${q}: ${ms.toFixed(1)} ms total=${r.total}${r.totalCapped ? '+' : ''} rows=${r.rows.length}`);
  }
  if (explain) for (const [text, params] of captured) {
    if (!/listings/.test(text)) continue;
    const plan = await sql.unsafe(`explain (analyze, costs off) ${text}`, params as never[]);
    console.log('  ---', text.slice(0, 160).replace(/\s+/g, ' '));
    for (const l of plan) console.log('   ', l['QUERY PLAN']);
  }
}
await sql.end();
