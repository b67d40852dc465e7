/**
 * The province's four years of enforcement (issue 17 part 6, ADR 018): case rows from which the
 * quality dashboard counts the report's own figures over the four calendar years before this
 * one, for 青 (the high court) over its courts:
 *
 *   85,673 cases accepted, 81,879 closed; cases with property closed within the legal limit
 *   98.22%; 终本 closures qualified 100%; complaints settled 100%; the four-year closure rate
 *   94.98% (81,879 closed ÷ (533 carried over + 85,673 accepted), and with a 48-month window
 *   81,372 closed actually or as 终本 ÷ 85,673).
 *
 * History, not live work: written set-wise in SQL (`insert … select … generate_series`), in a few
 * seconds, as the closure would have left each row (dates, mode, frozen time limit, the 终本
 * checklist, money). It goes on top of what is already there, the aid history's 637 real 终本
 * cases of 青0104 and 青01 (ADR 016) above all: the seed counts what the window already holds
 * and tops each figure up to the report's, whatever year the demo starts in. Run once.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import { organisations } from '../../db/schema/identity.js';
import { beijingDateOf } from '../cases/time-limit.js';
import { ZHONGBEN_CONDITIONS } from '../cases/zhongben.js';
import type { Logger } from '../logger.js';
import { uuidArray } from '../sql-arrays.js';

/** The report's figures (domain note "The seed's own figures"). */
export const PROVINCE = {
  accepted: 85_673,
  closed: 81_879,
  /** Open on the window's first day: 81,879 ÷ (533 + 85,673) = 94.98%. */
  carriedOver: 533,
  /** Of the carried over, closed within the window. */
  carriedClosed: 500,
  /** Accepted in the window and closed in it actually or as 终本: 81,372 ÷ 85,673 = 94.98%. */
  cohortActual: 81_372,
  withinLimit: 0.9822,
  complaints: 1_200,
  /** Accepted late in the window and still open today (overdue now: the dashboard has some). */
  stillOpen: 150,
} as const;

/** The high court's president, to look at the province's dashboard (the demo password). */
export const PROVINCE_VIEWER = 'president.qinghai@demo.lastmile.test';

/** The province's courts: the demo's (青, 青01, 青0104, 青0105) and these, made here. */
const PROVINCE_COURTS = [
  {
    code: '青0102',
    parent: '青01',
    level: 'basic',
    nameZh: '西宁市城东区人民法院',
    nameEn: 'Chengdong District People’s Court, Xining',
    district: '城东区',
  },
  {
    code: '青0103',
    parent: '青01',
    level: 'basic',
    nameZh: '西宁市城中区人民法院',
    nameEn: 'Chengzhong District People’s Court, Xining',
    district: '城中区',
  },
  {
    code: '青0121',
    parent: '青01',
    level: 'basic',
    nameZh: '大通回族土族自治县人民法院',
    nameEn: 'Datong County People’s Court',
    district: '大通县',
  },
  {
    code: '青02',
    parent: '青',
    level: 'intermediate',
    nameZh: '海东市中级人民法院',
    nameEn: 'Haidong Intermediate People’s Court',
    district: null,
  },
  {
    code: '青0202',
    parent: '青02',
    level: 'basic',
    nameZh: '海东市乐都区人民法院',
    nameEn: 'Ledu District People’s Court, Haidong',
    district: '乐都区',
  },
  {
    code: '青0203',
    parent: '青02',
    level: 'basic',
    nameZh: '海东市平安区人民法院',
    nameEn: 'Ping’an District People’s Court, Haidong',
    district: '平安区',
  },
] as const;

/** Where the history is filed, with a weight each (the basic courts carry most of it). */
const WEIGHTS: [string, number][] = [
  ['青0104', 5],
  ['青0102', 5],
  ['青0103', 4],
  ['青0121', 3],
  ['青0202', 4],
  ['青0203', 3],
  ['青01', 1],
  ['青02', 1],
];

/** The window's counts as they stand (the aid history, anything else filed in it). */
async function existing(db: DbHandle['db'], highCourt: string, wStart: string, wEnd: string, today: string) {
  const [r] = await db.execute<Record<string, number>>(sql`
    with c as (
      select * from cases where court_id in (with recursive below(id) as (select ${highCourt}::uuid
        union all select o.id from organisations o join below on o.parent_id = below.id) select id from below)
        and case_type in ('first', 'resumed')
    )
    select
      count(*) filter (where filed_on between ${wStart}::date and ${wEnd}::date)::int as accepted,
      count(*) filter (where filed_on < ${wStart}::date and (closed_on is null or closed_on >= ${wStart}::date))::int as carried,
      count(*) filter (where filed_on < ${wStart}::date and closed_on between ${wStart}::date and ${wEnd}::date)::int as carried_closed,
      count(*) filter (where filed_on between ${wStart}::date and ${wEnd}::date and closed_on <= ${wEnd}::date)::int as cohort_closed,
      count(*) filter (where filed_on between ${wStart}::date and ${wEnd}::date and closed_on <= ${wEnd}::date
        and closure_mode in ('fully_performed', 'settlement_performed', 'terminated', 'terminated_for_now'))::int as cohort_actual,
      count(*) filter (where case_type = 'first' and property_found and closed_on between ${wStart}::date and ${wEnd}::date
        and (closure_mode in ('fully_performed', 'settlement_performed') or (closure_mode = 'terminated' and coalesce(recovered_fen, 0) > 0)))::int as wl_closed,
      count(*) filter (where case_type = 'first' and property_found and closed_on between ${wStart}::date and ${wEnd}::date
        and (closure_mode in ('fully_performed', 'settlement_performed') or (closure_mode = 'terminated' and coalesce(recovered_fen, 0) > 0))
        and within_limit)::int as wl_within,
      count(*) filter (where case_type = 'first' and property_found and closure_mode is null
        and due_on between ${wStart}::date and least(${wEnd}::date, ${today}::date - 1))::int as wl_open_due,
      count(*) filter (where closure_mode = 'terminated_for_now' and closed_on between ${wStart}::date and ${wEnd}::date
        and zhongben_qualified is not true)::int as zb_unqualified
    from c`);
  return r!;
}

/** A checklist of a 终本 closure with every condition met (the history's 终本 were closed by the book). */
const QUALIFIED = JSON.stringify({
  conditions: ZHONGBEN_CONDITIONS.map((key) => ({ key, met: true, gaps: [], evidence: [] })),
  allMet: true,
  missing: [],
});

export async function seedProvinceHistory({
  db,
  logger,
  now = new Date(),
}: {
  db: DbHandle;
  logger: Logger;
  now?: Date;
}) {
  const started = performance.now();
  const today = beijingDateOf(now);
  const thisYear = Number(today.slice(0, 4));
  const wStart = `${thisYear - 4}-01-01`;
  const wEnd = `${thisYear - 1}-12-31`;
  const [done] = await db.db.execute<{ n: number }>(
    sql`select count(*)::int as n from cases where case_number like ${'%执1_____号'} and court_id in
      (select id from organisations where code in ('青0102', '青0202'))`,
  );
  if ((done?.n ?? 0) > 0) return 0;

  // The courts.
  const orgs = new Map(
    (await db.db.select({ id: organisations.id, code: organisations.code }).from(organisations)).map((o) => [
      o.code,
      o.id,
    ]),
  );
  if (!orgs.has('青') || !orgs.has('青01')) return 0;
  for (const c of PROVINCE_COURTS) {
    await db.db
      .insert(organisations)
      .values({
        kind: 'court',
        code: c.code,
        courtLevel: c.level,
        parentId: orgs.get(c.parent)!,
        nameZh: c.nameZh,
        nameEn: c.nameEn,
        province: '青海省',
        city: c.code.startsWith('青02') ? '海东市' : '西宁市',
        district: c.district,
      })
      .onConflictDoNothing();
    const [row] = await db.db.execute<{ id: string }>(
      sql`select id from organisations where code = ${c.code}`,
    );
    orgs.set(c.code, row!.id);
  }
  const courtIds = WEIGHTS.flatMap(([code, w]) => Array.from({ length: w }, () => orgs.get(code)!));
  const courtCodes = WEIGHTS.flatMap(([code, w]) => Array.from({ length: w }, () => code));

  // What the window holds already, and what tops it up to the report.
  const e = await existing(db.db, orgs.get('青')!, wStart, wEnd, today);
  if (
    e.zb_unqualified! > 0 ||
    e.carried! > PROVINCE.carriedOver ||
    e.cohort_actual! > PROVINCE.cohortActual
  ) {
    logger.warn({ existing: e }, 'province history skipped: the window already holds more than the report');
    return 0;
  }
  const carriedClosed = PROVINCE.carriedClosed - e.carried_closed!;
  const carriedOpen = PROVINCE.carriedOver - PROVINCE.carriedClosed - (e.carried! - e.carried_closed!);
  const actual = PROVINCE.cohortActual - e.cohort_actual!;
  const otherClosed =
    PROVINCE.closed - PROVINCE.carriedClosed - PROVINCE.cohortActual - (e.cohort_closed! - e.cohort_actual!);
  const accepted = PROVINCE.accepted - e.accepted!;
  const openAtEnd = accepted - actual - otherClosed;
  const zb = Math.floor(actual * 0.36);
  const settled = Math.floor(actual * 0.1);
  const terminated = Math.floor(actual * 0.03);
  const performed = actual - zb - settled - terminated;
  // Within the limit: the population closed in the window (carried over and performed, settled,
  // terminated with money) plus what is there already; the late ones make it 98.22%.
  const population = e.wl_closed! + e.wl_open_due! + carriedClosed + performed + settled + terminated;
  let within = Math.round(PROVINCE.withinLimit * population);
  while ((within / population).toFixed(4) !== PROVINCE.withinLimit.toFixed(4))
    within += within / population < PROVINCE.withinLimit ? 1 : -1;
  const late = population - within - (e.wl_closed! + e.wl_open_due! - e.wl_within!);
  if (
    [carriedClosed, carriedOpen, otherClosed, openAtEnd, late].some((n) => n < 0) ||
    openAtEnd < PROVINCE.stillOpen
  ) {
    logger.warn({ existing: e }, 'province history skipped: the window already holds too much');
    return 0;
  }

  const wDays = (Date.parse(wEnd) - Date.parse(wStart)) / 86_400_000 + 1;
  const afterW = `${thisYear}-01-01`;
  const sinceW = Math.max(2, (Date.parse(today) - Date.parse(afterW)) / 86_400_000 - 1);
  // Each category: how many, filed from (and over how many days), closed after how long (or from a date), how.
  type Cat = [
    name: string,
    n: number,
    filedFrom: string,
    filedSpan: number,
    durMin: number | null,
    durSpan: number | null,
    closedFrom: string | null,
    closedSpan: number | null,
    mode: string | null,
    property: boolean,
    recoveredPct: number,
  ];
  const cats: Cat[] = [
    // Carried over from the year before, closed within the limit early in the window.
    [
      'carried',
      carriedClosed,
      `${thisYear - 5}-10-01`,
      80,
      100,
      70,
      null,
      null,
      'fully_performed',
      true,
      100,
    ],
    // Carried over and open through the window; withdrawn this year.
    [
      'carried_open',
      carriedOpen,
      `${thisYear - 5}-11-01`,
      50,
      null,
      null,
      afterW,
      sinceW,
      'withdrawn',
      false,
      0,
    ],
    ['zhongben', zb, wStart, wDays - 175, 95, 80, null, null, 'terminated_for_now', false, 0],
    ['performed', performed - late, wStart, wDays - 170, 20, 150, null, null, 'fully_performed', true, 100],
    ['late', late, wStart, wDays - 290, 200, 90, null, null, 'fully_performed', true, 100],
    ['settled', settled, wStart, wDays - 170, 30, 140, null, null, 'settlement_performed', true, 85],
    ['terminated', terminated, wStart, wDays - 170, 40, 130, null, null, 'terminated', true, 30],
    ['withdrawn', otherClosed, wStart, wDays - 100, 10, 80, null, null, 'withdrawn', false, 0],
    // Accepted in the window's last half year, closed this year; the last of them still open.
    [
      'after',
      openAtEnd - PROVINCE.stillOpen,
      `${thisYear - 1}-07-01`,
      180,
      null,
      null,
      afterW,
      sinceW,
      'fully_performed',
      true,
      100,
    ],
    ['open', PROVINCE.stillOpen, `${thisYear - 1}-12-01`, 30, null, null, null, null, null, true, 0],
  ];
  const values = sql.join(
    cats.reduce<{ parts: ReturnType<typeof sql>[]; start: number }>(
      (
        acc,
        [name, n, filedFrom, filedSpan, durMin, durSpan, closedFrom, closedSpan, mode, property, pct],
      ) => {
        acc.parts.push(
          sql`(${name}, ${n}::int, ${acc.start}::int, ${filedFrom}::date, ${filedSpan}::int, ${durMin}::int, ${durSpan}::int,
            ${closedFrom}::date, ${closedSpan}::int, ${mode}::closure_mode, ${property}::boolean, ${pct}::int)`,
        );
        acc.start += n;
        return acc;
      },
      { parts: [], start: 0 },
    ).parts,
    sql`, `,
  );
  const h = (salt: number) => sql`abs(hashtextextended(g.i::text, ${salt}::bigint))`;
  await db.db.transaction(async (tx) => {
    await tx.execute(sql`
      with cat(name, n, start_i, filed_from, filed_span, dur_min, dur_span, closed_from, closed_span, mode, property, pct) as (
        values ${values}
      ),
      r as (
        select g.i as i, c.*,
          c.filed_from + (${h(11)} % c.filed_span)::int as filed,
          1 + (${h(12)} % ${courtIds.length})::int as k,
          (5000 + (${h(13)} % 495000))::bigint as owed,
          ${h(14)} as r4
        from cat c cross join lateral generate_series(c.start_i + 1, c.start_i + c.n) g(i)
      ),
      d as (
        select r.*,
          case when r.dur_min is not null then r.filed + r.dur_min + (r.r4 % r.dur_span)::int
               when r.closed_from is not null then greatest(r.filed + 1, r.closed_from + (r.r4 % r.closed_span)::int)
          end as closed,
          (r.filed + interval '6 months')::date as due
        from r
      )
      insert into cases (court_id, case_number, basis, title_kind, amount_owed_fen, status, filed_on, due_on,
        property_found, closure_mode, closed_on, recovered_fen, unpaid_fen, closure_ruling, closure_reason,
        excluded_days, net_days, within_limit, zhongben_qualified, closure_checklist, created_at, updated_at)
      select (${uuidArray(courtIds)})[d.k],
        '(' || extract(year from d.filed)::int || ')' || (${`{${courtCodes.join(',')}}`}::text[])[d.k] || '执' || (100000 + d.i) || '号',
        '(' || extract(year from d.filed)::int - 1 || ')' || (${`{${courtCodes.join(',')}}`}::text[])[d.k] || '民初' || (d.i % 9000 + 1) || '号民事判决书',
        'litigation', d.owed * 100,
        case when d.mode is null then 'open' when d.mode = 'terminated_for_now' then 'terminated_without_property' else 'concluded' end::case_status,
        d.filed, d.due, d.property, d.mode, d.closed,
        case when d.pct > 0 and d.closed is not null then d.owed * d.pct end,
        case when d.mode = 'terminated_for_now' then d.owed * 100 end,
        case when d.mode in ('terminated_for_now', 'terminated') then '(' || extract(year from d.closed)::int || ')'
          || (${`{${courtCodes.join(',')}}`}::text[])[d.k] || '执' || (100000 + d.i) || '号之一' end,
        case when d.mode = 'withdrawn' then '申请执行人撤回执行申请' end,
        case when d.closed is not null then 0 end,
        d.closed - d.filed,
        case when d.closed is not null then (d.closed - d.filed) <= (d.due - d.filed) end,
        case when d.mode = 'terminated_for_now' then true end,
        case when d.mode = 'terminated_for_now' then ${QUALIFIED}::jsonb end,
        (d.filed + time '10:00') at time zone 'Asia/Shanghai',
        coalesce((d.closed + time '16:00') at time zone 'Asia/Shanghai', (d.filed + time '10:00') at time zone 'Asia/Shanghai')
      from d`);
    // Complaints, every one settled within its 60 days (信访工作条例 art. 35).
    await tx.execute(sql`
      insert into case_complaints (case_id, court_id, status, channel, complainant, summary, received_on, due_on, settled_on, outcome)
      select c.id, c.court_id, 'settled', (array['visit','letter','phone','online']::case_complaint_channel[])[1 + (n % 4)::int],
        '申请执行人', '反映执行进度缓慢', c.filed_on + 10, c.filed_on + 70, c.filed_on + 15 + (n % 50)::int,
        '已向信访人说明执行进展，信访人表示满意'
      from (select c.*, row_number() over (order by c.case_number) as n from cases c
        where c.case_number like ${'%执1_____号'} and c.closure_mode = 'fully_performed' and c.within_limit
          and c.filed_on between ${wStart}::date and ${wEnd}::date - 170) c
      where c.n % 25 = 0 limit ${PROVINCE.complaints}`);
  });
  // The planner's statistics for the new rows (the dashboard's grouped reads choose their plans by them).
  // Analyzed only: autovacuum sets the visibility map the index-only scans use within a minute or
  // so, and a vacuum here would add seconds to the first start.
  await db.db.execute(sql`analyze cases`);
  await db.db.execute(sql`analyze case_complaints`);
  // Someone to look at the province: the high court's president (read-only over its courts' cases).
  const [high] = await db.db.execute<{ id: string }>(sql`select id from organisations where code = '青'`);
  const [hash] = await db.db.execute<{ password_hash: string }>(
    sql`select password_hash from users where email = 'president@demo.lastmile.test'`,
  );
  if (hash)
    await db.db.execute(sql`insert into users (email, password_hash, real_name, roles, organisation_id, verification)
      values (${PROVINCE_VIEWER}, ${hash.password_hash}, '孙院长', '{court_president}', ${high!.id}, 'unverified')
      on conflict do nothing`);
  const ms = Math.round(performance.now() - started);
  logger.info({ ms, cases: cats.reduce((s, c) => s + c[1], 0) }, 'demo province history seeded');
  return ms;
}
