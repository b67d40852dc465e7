/**
 * Suggestions as a visitor types in the search box (ADR 020): courts whose name or code holds
 * the text, and places (province, city, county) of published listings that hold it. Asset types
 * are the catalog's and are matched in the page. The places come from a loose index scan over
 * listings_place_idx (a few probes per distinct place, not a pass over every listing).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { parseInput } from '../validation.js';
import type { ListingDeps } from './deps.js';

const SuggestSchema = z.object({ q: z.string().trim().min(1).max(20) });

export interface Suggestion {
  kind: 'court' | 'place';
  /** What the search box receives (a court's code goes to the court filter instead). */
  value: string;
  labelZh: string;
  labelEn: string;
  /** For a place: the filters it sets. */
  province?: string;
  city?: string;
  district?: string;
}

const LIMIT = 8;

export async function suggest(deps: ListingDeps, input: unknown): Promise<Suggestion[]> {
  const { q } = parseInput(SuggestSchema, input);
  const like = `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  const [courts, places] = await Promise.all([
    deps.db.execute<{ code: string; name_zh: string; name_en: string }>(sql`
      select code, name_zh, name_en from organisations
      where kind = 'court' and (name_zh ilike ${like} or name_en ilike ${like} or code ilike ${like})
      order by name_zh limit ${LIMIT}`),
    deps.db.execute<{ province: string; city: string; district: string }>(sql`
      with recursive p as (
        (select province, city, district from listings where district is not null
          order by province, city, district limit 1)
        union all
        select n.* from p, lateral (
          select province, city, district from listings l
          where district is not null and (l.province, l.city, l.district) > (p.province, p.city, p.district)
          order by province, city, district limit 1) n
      )
      select province, city, district from p
      where (province ilike ${like} or city ilike ${like} or district ilike ${like})
        and exists (select 1 from listings l where l.province = p.province and l.city = p.city
          and l.district = p.district
          and l.status not in ('draft', 'pending_approval') and l.announce_at <= ${deps.clock().toISOString()}::timestamptz)
      limit ${LIMIT}`),
  ]);
  const seen = new Set<string>();
  return [
    ...courts.map((c) => ({
      kind: 'court' as const,
      value: c.code,
      labelZh: c.name_zh,
      labelEn: c.name_en,
    })),
    ...places.flatMap((p) => {
      // The city itself when the text is in its name (once), then the county.
      const city = `${p.province} ${p.city}`;
      const cityHit = (p.province.includes(q) || p.city.includes(q)) && !seen.has(city) && seen.add(city);
      const district = `${city} ${p.district}`;
      return [
        ...(cityHit
          ? [
              {
                kind: 'place' as const,
                value: p.city,
                labelZh: city,
                labelEn: city,
                province: p.province,
                city: p.city,
              },
            ]
          : []),
        {
          kind: 'place' as const,
          value: p.district!,
          labelZh: district,
          labelEn: district,
          province: p.province,
          city: p.city,
          district: p.district,
        },
      ];
    }),
  ].slice(0, LIMIT * 2);
}
