import { eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { aidClaims, aidRecoveries } from '../../db/schema/aid.js';
import { auditLog } from '../../db/schema/audit.js';
import { disbursementBatches, disbursements } from '../../db/schema/disbursements.js';
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from '../../db/schema/ledger.js';
import { bankMemo } from '../aid/payout-hooks.js';
import { AID_PURPOSE, ledgerCodes } from '../aid/rules.js';
import {
  type AidSeedWorld,
  chunked,
  DAY,
  type LedgerLine,
  type Pay,
  type seedAidHistory,
} from './seed-aid-history.js';

/**
 * The history's payments: one batch a month, prepared by the adjuster and approved by the
 * manager (maker-checker), each claim paid once (a few after a failed first attempt), some aid
 * recovered later; then every ledger movement, balanced.
 */
export async function seedAidPayouts(
  tx: Tx,
  { insurer, adjuster, manager }: AidSeedWorld,
  { policies, claimRows, claimId, pays, ledger, audits }: Awaited<ReturnType<typeof seedAidHistory>>,
) {
  const byMonth = new Map<string, Pay[]>();
  for (const p of pays) {
    const m = new Date(p.sentAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    byMonth.set(m, [...(byMonth.get(m) ?? []), p]);
  }
  const paymentRows: (typeof disbursements.$inferInsert)[] = [];
  for (const [month, list] of [...byMonth.entries()].sort()) {
    const sentAt = new Date(Math.min(...list.map((p) => p.sentAt.getTime())));
    const [batch] = await tx
      .insert(disbursementBatches)
      .values({
        number: `PB${month.replace('-', '')}-H`,
        purpose: AID_PURPOSE,
        payerId: insurer.id,
        status: 'settled',
        preparedBy: adjuster.id,
        preparedAt: new Date(sentAt.getTime() - 2 * DAY),
        approvedBy: manager.id,
        approvedAt: new Date(sentAt.getTime() - DAY),
        sentBy: adjuster.id,
        sentAt,
        settledAt: new Date(Math.max(...list.map((p) => p.settledAt.getTime()))),
      })
      .returning();
    list.forEach((p, n) => {
      const c = claimRows[p.claimNo]!;
      const base = {
        batchId: batch!.id,
        purpose: AID_PURPOSE,
        subjectId: claimId(p.claimNo),
        payerId: insurer.id,
        payeeName: c.payeeName,
        bankName: c.bankName,
        accountNumber: c.accountNumber,
        amountFen: p.amountFen,
        memo: bankMemo(c.number),
        preparedBy: adjuster.id,
        approvedBy: manager.id,
        sentAt: p.sentAt,
        createdAt: new Date(p.sentAt.getTime() - 2 * DAY),
      };
      const ref = `${batch!.number}-${String(n + 1).padStart(4, '0')}`;
      if (p.failed) {
        paymentRows.push({
          ...base,
          reference: `${ref}F`,
          status: 'reissued',
          failureReason: 'wrong_account',
          settledAt: new Date(p.sentAt.getTime() + 3_600_000),
          updatedAt: p.sentAt,
        });
        ledger.push(
          {
            key: `sent-f:${p.claimNo}`,
            kind: 'aid.payment_sent',
            at: p.sentAt,
            entries: [
              [`payable:${p.claimNo}`, -p.amountFen],
              [`transit:${p.claimNo}`, p.amountFen],
            ],
          },
          {
            key: `failed:${p.claimNo}`,
            kind: 'aid.payment_failed',
            at: new Date(p.sentAt.getTime() + 3_600_000),
            entries: [
              [`transit:${p.claimNo}`, -p.amountFen],
              [`payable:${p.claimNo}`, p.amountFen],
            ],
          },
        );
      }
      paymentRows.push({
        ...base,
        reference: ref,
        status: 'confirmed',
        bankReference: `BK${ref.replace(/\D/g, '')}`,
        settledAt: p.settledAt,
        updatedAt: p.settledAt,
      });
      ledger.push(
        {
          key: `sent:${p.claimNo}`,
          kind: 'aid.payment_sent',
          at: p.sentAt,
          entries: [
            [`payable:${p.claimNo}`, -p.amountFen],
            [`transit:${p.claimNo}`, p.amountFen],
          ],
        },
        {
          key: `confirmed:${p.claimNo}`,
          kind: 'aid.payment_confirmed',
          at: p.settledAt,
          entries: [
            [`transit:${p.claimNo}`, -p.amountFen],
            [ledgerCodes.paidOut(insurer.id), p.amountFen],
          ],
        },
      );
      audits.push({
        at: p.settledAt,
        actorId: adjuster.id,
        action: 'aid_claim.payment.confirmed',
        entityType: 'aid_claim',
        entityId: String(p.claimNo),
        data: { reference: ref },
      });
    });
  }
  await chunked(paymentRows, 500, (part) => tx.insert(disbursements).values(part));
  await chunked(audits, 1000, (part) =>
    tx.insert(auditLog).values(part.map((a) => ({ ...a, entityId: claimId(a.entityId) }))),
  );

  // A few recoveries: money later collected on the case and returned to the insurer.
  const recoveries = pays.filter((_, i) => i % 97 === 5).slice(0, 8);
  for (const p of recoveries) {
    const amount = (p.amountFen / 2n / 100n) * 100n;
    const at = new Date(p.settledAt.getTime() + 90 * DAY);
    const c = claimRows[p.claimNo]!;
    await tx.insert(aidRecoveries).values({
      claimId: claimId(p.claimNo),
      courtId: c.courtId,
      insurerId: insurer.id,
      kind: 'subrogation',
      source: 'external',
      amountFen: amount,
      note: '被执行人履行部分款项，已返还保险公司',
      status: 'returned',
      recordedBy: c.filedBy,
      recordedAt: at,
      returnedBy: manager.id,
      returnedAt: new Date(at.getTime() + 5 * DAY),
    });
    await tx
      .update(aidClaims)
      .set({ recoveredFen: amount })
      .where(eq(aidClaims.id, claimId(p.claimNo)));
    ledger.push({
      key: `recovery:${p.claimNo}`,
      kind: 'aid.subrogation',
      at: new Date(at.getTime() + 5 * DAY),
      entries: [
        [ledgerCodes.recoveryReceived(insurer.id), -amount],
        [ledgerCodes.recovered(insurer.id), amount],
      ],
    });
  }
  for (const p of policies)
    ledger.unshift({
      key: `policy:${p.id}`,
      kind: 'aid.policy_opened',
      at: new Date(Date.UTC(p.year - 1, 11, 20, 2)),
      entries: [
        [ledgerCodes.limit(p.id), 240_000_000n],
        [ledgerCodes.cover(insurer.id), -240_000_000n],
      ],
    });
  await writeLedger(tx, ledger, (code) => {
    const m = code.match(/^(payable|transit):(\d+)$/);
    if (!m) return code;
    const i = Number(m[1] === 'payable' ? m[2] : m[2]);
    const policyId = claimRows[i]!.policyId;
    return m[1] === 'payable'
      ? ledgerCodes.payable(policyId, claimId(i))
      : ledgerCodes.inTransit(policyId, claimId(i));
  });
}

/** Bulk ledger writes: accounts, transactions and entries, each transaction balanced (the deferred trigger checks at commit). */
async function writeLedger(tx: Tx, ledger: LedgerLine[], resolve: (code: string) => string) {
  const codes = new Set<string>();
  for (const t of ledger) for (const [code] of t.entries) codes.add(resolve(code));
  const accountRows = [...codes].map((code) => ({
    code,
    kind: code.startsWith('gateway_clearing:') ? ('gateway_clearing' as const) : ('aid_policy' as const),
    allowNegative: code.startsWith('gateway_clearing:'),
  }));
  const ids = new Map<string, string>();
  await chunked(accountRows, 1000, async (part) => {
    for (const a of await tx.insert(ledgerAccounts).values(part).onConflictDoNothing().returning())
      ids.set(a.code, a.id);
  });
  const missing = [...codes].filter((c) => !ids.has(c));
  if (missing.length)
    for (const a of await tx.select().from(ledgerAccounts).where(inArray(ledgerAccounts.code, missing)))
      ids.set(a.code, a.id);
  const txIds: string[] = [];
  await chunked(ledger, 1000, async (part) => {
    const rows = await tx
      .insert(ledgerTransactions)
      .values(
        part.map((t) => ({
          idempotencyKey: `demo:aid:${t.key}`,
          kind: t.kind,
          occurredAt: t.at,
          createdAt: t.at,
        })),
      )
      .returning({ id: ledgerTransactions.id });
    txIds.push(...rows.map((r) => r.id));
  });
  const entries = ledger.flatMap((t, i) =>
    t.entries.map(([code, amountFen]) => ({
      transactionId: txIds[i]!,
      accountId: ids.get(resolve(code))!,
      amountFen,
      createdAt: t.at,
    })),
  );
  await chunked(entries, 2000, (part) => tx.insert(ledgerEntries).values(part));
}
