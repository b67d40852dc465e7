import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type Actor, can, type Permission } from '../identity/permissions.js';

/**
 * The work waiting for a member of staff, as queues on his landing page: each a count, the
 * nearest deadline (null when the work has none) and the page where it is done. A read model
 * over the modules' tables, one statement per desk; each queue is shown only to a role that may
 * do that work (the permission beside it), and every count is scoped to the actor's organisation.
 */
export type Queue = {
  key: string;
  count: number;
  /** The earliest deadline among the items, for "nearest first". */
  nearest: Date | null;
  /** True when the nearest deadline has already passed. */
  overdue: boolean;
  href: string;
};

type Definition = {
  key: string;
  permission: Permission;
  href: string;
  /** count(*) and min(deadline) over the work, for organisation $org at $now. */
  query: (org: string, now: string) => ReturnType<typeof sql>;
};

const at = (now: string) => sql`${now}::timestamptz`;

const COURT: Definition[] = [
  {
    key: 'approvals',
    permission: 'approve:listing',
    href: '/court/listings?status=pending_approval',
    query: (org) => sql`select count(*)::int as n, min(starts_at) as nearest
      from listings where court_id = ${org} and status = 'pending_approval'`,
  },
  {
    key: 'drafts',
    permission: 'create:listing',
    href: '/court/listings?status=draft',
    query: (org) => sql`select count(*)::int as n, null::timestamptz as nearest
      from listings where court_id = ${org} and status = 'draft'`,
  },
  {
    key: 'transfers',
    permission: 'confirm:bank-transfer',
    href: '/court/transfers',
    query: (org) => sql`select count(*)::int as n, null::timestamptz as nearest
      from bank_transfers where court_id = ${org} and status = 'recorded'`,
  },
  {
    key: 'balances',
    permission: 'read:payments',
    href: '/court/overdue',
    query: (org) => sql`select count(*)::int as n, min(due_at) as nearest
      from balances where court_id = ${org} and status = 'open'`,
  },
  {
    key: 'rulings',
    permission: 'manage:sale',
    href: '/court/sales',
    query: (org) => sql`select count(*)::int as n, min(ruling_due_at) as nearest
      from sales where court_id = ${org} and status in ('eligibility_check', 'awaiting_ruling')`,
  },
  {
    key: 'handovers',
    permission: 'manage:sale',
    href: '/court/sales',
    query: (org) => sql`select count(*)::int as n, min(handover_due_at) as nearest
      from sales where court_id = ${org} and status in ('ruling_issued', 'ruling_served', 'handover_scheduled')`,
  },
  {
    key: 'claimsToReview',
    permission: 'review:aid-claim',
    href: '/aid?status=submitted',
    query: (org) => sql`select count(*)::int as n, min(decision_due_at) as nearest
      from aid_claims where court_id = ${org} and status in ('submitted', 'court_review', 'committee_review')`,
  },
  {
    key: 'claimsReturned',
    permission: 'create:aid-claim',
    href: '/aid?status=returned',
    query: (org) => sql`select count(*)::int as n, null::timestamptz as nearest
      from aid_claims where court_id = ${org} and status = 'returned'`,
  },
  {
    key: 'complaints',
    permission: 'manage:complaint',
    href: '/court/cases',
    query: (org) => sql`select count(*)::int as n, min(due_on)::timestamptz as nearest
      from case_complaints where court_id = ${org} and status <> 'settled'`,
  },
  {
    key: 'overdueCases',
    permission: 'manage:case',
    href: '/court/overdue',
    query: (org, now) => sql`select count(*)::int as n, min(due_on)::timestamptz as nearest
      from cases where court_id = ${org} and closed_on is null
        and due_on < (${at(now)} at time zone 'Asia/Shanghai')::date`,
  },
  {
    key: 'staff',
    permission: 'create:staff-user',
    href: '/staff',
    query: (org) => sql`select count(*)::int as n, null::timestamptz as nearest
      from users where organisation_id = ${org}`,
  },
];

const INSURER: Definition[] = [
  {
    key: 'claimsToDecide',
    permission: 'review:aid-claim-insurer',
    href: '/aid?status=court_approved',
    query: (org) => sql`select count(*)::int as n, min(decision_due_at) as nearest
      from aid_claims where insurer_id = ${org} and status in ('court_approved', 'insurer_review')`,
  },
  {
    key: 'claimsToPay',
    permission: 'prepare:aid-payment',
    href: '/aid/batches',
    query: (org) => sql`select count(*)::int as n, null::timestamptz as nearest
      from aid_claims where insurer_id = ${org} and status = 'insurer_approved'`,
  },
  {
    key: 'batchesToApprove',
    permission: 'approve:aid-payment',
    // The batch list filters by status now (issue 22): the queue opens on the ones it counts.
    href: '/aid/batches?status=prepared',
    query: (org) => sql`select count(*)::int as n, min(prepared_at) as nearest
      from disbursement_batches where payer_id = ${org} and status = 'prepared'`,
  },
  {
    key: 'confirmationsToImport',
    permission: 'send:aid-payment',
    href: '/aid/batches?status=sent',
    query: (org) => sql`select count(*)::int as n, null::timestamptz as nearest
      from disbursement_batches where payer_id = ${org} and status = 'sent'`,
  },
];

async function queuesOf(db: Database, actor: Actor, defs: Definition[], now: Date): Promise<Queue[]> {
  const org = actor.organisationId;
  if (!org) return [];
  const mine = defs.filter((d) => can(actor, d.permission));
  const rows = await Promise.all(
    mine.map(async (d) => {
      const [r] = await db.execute<{ n: number; nearest: string | Date | null }>(
        d.query(org, now.toISOString()),
      );
      const nearest = r?.nearest ? new Date(r.nearest) : null;
      return {
        key: d.key,
        href: d.href,
        count: r?.n ?? 0,
        nearest,
        overdue: nearest !== null && nearest < now,
      };
    }),
  );
  // Work first, nearest deadline first; empty queues stay listed (a clerk sees that nothing waits).
  return rows.sort(
    (a, b) =>
      Number(b.count > 0) - Number(a.count > 0) ||
      (a.nearest?.getTime() ?? Number.POSITIVE_INFINITY) - (b.nearest?.getTime() ?? Number.POSITIVE_INFINITY),
  );
}

export const courtQueues = (db: Database, actor: Actor, now: Date) => queuesOf(db, actor, COURT, now);
export const insurerQueues = (db: Database, actor: Actor, now: Date) => queuesOf(db, actor, INSURER, now);
