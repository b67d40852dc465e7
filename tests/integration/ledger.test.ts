import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, ensureAccount, post, statement, trialBalance } from '../../server/ledger/ledger';
import { createTestDatabase } from '../support/db';
import { caught } from '../support/fixtures';

let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${++seq}`;
const at = new Date('2026-03-01T02:00:00Z');

/** Fresh accounts for one test: a bidder's deposit, the court's deposits, a gateway. */
async function accounts() {
  const id = uniq('t');
  const codes = {
    gateway: `gateway_clearing:local-${id}`,
    deposit: `bidder_deposit:${id}`,
    court: `court_deposits:${id}`,
    forfeited: `forfeited_deposits:${id}`,
    case: `case:${id}`,
  };
  await ensureAccount(db.db, { code: codes.gateway, kind: 'gateway_clearing', allowNegative: true });
  await ensureAccount(db.db, { code: codes.deposit, kind: 'bidder_deposit' });
  await ensureAccount(db.db, { code: codes.court, kind: 'court_deposits' });
  await ensureAccount(db.db, { code: codes.forfeited, kind: 'forfeited_deposits' });
  await ensureAccount(db.db, { code: codes.case, kind: 'case' });
  return codes;
}

const move = (key: string, from: string, to: string, amountFen: bigint, kind = 'test.move') => ({
  idempotencyKey: key,
  kind,
  occurredAt: at,
  entries: [
    { account: from, amountFen: -amountFen },
    { account: to, amountFen },
  ],
});

const counts = async () => {
  const [row] = await db.sql<{ txs: number; entries: number }[]>`
    select (select count(*)::int from ledger_transactions) as txs,
           (select count(*)::int from ledger_entries) as entries`;
  return row!;
};

describe('ledger', () => {
  it('ensureAccount is an idempotent upsert; a different kind for the same code is a conflict', async () => {
    const code = `case:${uniq('c')}`;
    const a = await ensureAccount(db.db, { code, kind: 'case' });
    expect(await ensureAccount(db.db, { code, kind: 'case' })).toBe(a);
    expect((await caught(ensureAccount(db.db, { code, kind: 'case', allowNegative: true }))).code).toBe(
      'conflict',
    );
    expect(await balanceOf(db.db, code)).toBe(0n);
  });

  it('a balanced posting works and balances are derived from the entries', async () => {
    const c = await accounts();
    const t = await post(db.db, move(uniq('k'), c.gateway, c.deposit, 500_000n, 'deposit.hold'));
    expect(t.replayed).toBe(false);
    await post(db.db, move(uniq('k'), c.deposit, c.court, 200_000n, 'deposit.capture'));
    expect(await balanceOf(db.db, c.gateway)).toBe(-500_000n);
    expect(await balanceOf(db.db, c.deposit)).toBe(300_000n);
    expect(await balanceOf(db.db, c.court)).toBe(200_000n);
    expect((await trialBalance(db.db)).totalFen).toBe(0n);
  });

  it('refuses unbalanced, zero-amount, single-entry and unknown-account postings, writing nothing', async () => {
    const c = await accounts();
    await post(db.db, move(uniq('k'), c.gateway, c.deposit, 1_000n));
    const before = await counts();
    const base = { idempotencyKey: uniq('k'), kind: 'test', occurredAt: at };
    const cases: Array<[string, Parameters<typeof post>[1]]> = [
      [
        'ledger.unbalanced',
        {
          ...base,
          entries: [
            { account: c.gateway, amountFen: -100n },
            { account: c.deposit, amountFen: 99n },
          ],
        },
      ],
      [
        'ledger.zeroAmount',
        {
          ...base,
          entries: [
            { account: c.gateway, amountFen: -100n },
            { account: c.deposit, amountFen: 100n },
            { account: c.court, amountFen: 0n },
          ],
        },
      ],
      ['ledger.tooFewEntries', { ...base, entries: [{ account: c.deposit, amountFen: 100n }] }],
      ['ledger.unknownAccount', move(base.idempotencyKey, c.gateway, 'case:does-not-exist', 100n)],
    ];
    for (const [key, input] of cases) {
      const e = await caught(post(db.db, input));
      expect([e.code, e.messageKey]).toEqual(['validation', key]);
    }
    expect(await counts()).toEqual(before);
    expect(await balanceOf(db.db, c.deposit)).toBe(1_000n);
  });

  it('refuses to overdraw a non-negative account, writing nothing', async () => {
    const c = await accounts();
    await post(db.db, move(uniq('k'), c.gateway, c.deposit, 1_000n));
    const before = await counts();
    const e = await caught(post(db.db, move(uniq('k'), c.deposit, c.court, 1_001n)));
    expect([e.code, e.messageKey, e.details.params?.account]).toEqual([
      'conflict',
      'ledger.insufficientFunds',
      c.deposit,
    ]);
    expect(await counts()).toEqual(before);
  });

  it('is idempotent: the same key twice is one transaction; the same key with other entries is a conflict', async () => {
    const c = await accounts();
    const key = uniq('k');
    const first = await post(db.db, move(key, c.gateway, c.deposit, 700n));
    const before = await counts();
    // A retry lists the entries in another order: still the same posting.
    const input = move(key, c.gateway, c.deposit, 700n);
    const again = await post(db.db, { ...input, entries: [...input.entries].reverse() });
    expect(again.id).toBe(first.id);
    expect(again.replayed).toBe(true);
    expect(await counts()).toEqual(before);
    const e = await caught(post(db.db, move(key, c.gateway, c.deposit, 701n)));
    expect([e.code, e.messageKey]).toEqual(['conflict', 'ledger.idempotencyConflict']);
    expect(await balanceOf(db.db, c.deposit)).toBe(700n);

    // Two concurrent posts with the same key: one transaction, both callers get it.
    const key2 = uniq('k');
    const [x, y] = await Promise.all([
      post(db.db, move(key2, c.gateway, c.deposit, 5n)),
      post(db.db, move(key2, c.gateway, c.deposit, 5n)),
    ]);
    expect(x.id).toBe(y.id);
    expect(await balanceOf(db.db, c.deposit)).toBe(705n);
  });

  it('no overdraft under concurrency: of two postings that together overdraw, exactly one succeeds', async () => {
    const c = await accounts();
    await post(db.db, move(uniq('k'), c.gateway, c.deposit, 1_000n));
    // Each holds its locks a while before committing, so without the row locks both would read 1000.
    const attempt = (to: string) =>
      db.db.transaction(async (tx) => {
        const t = await post(tx, move(uniq('k'), c.deposit, to, 600n));
        await tx.execute('select pg_sleep(0.2)');
        return t;
      });
    const results = await Promise.allSettled([attempt(c.court), attempt(c.forfeited)]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason.messageKey).toBe('ledger.insufficientFunds');
    expect(await balanceOf(db.db, c.deposit)).toBe(400n);
  });

  it('posts inside the caller’s transaction: a rollback takes the movement with it', async () => {
    const c = await accounts();
    await expect(
      db.db.transaction(async (tx) => {
        await post(tx, move(uniq('k'), c.gateway, c.case, 9_900n));
        expect(await balanceOf(tx, c.case)).toBe(9_900n);
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    expect(await balanceOf(db.db, c.case)).toBe(0n);
  });

  it('the deferred trigger refuses unbalanced entries written directly with SQL, at commit', async () => {
    const c = await accounts();
    const ids = await db.sql<{ id: string; code: string }[]>`
      select id, code from ledger_accounts where code in (${c.gateway}, ${c.case})`;
    const id = (code: string) => ids.find((r) => r.code === code)!.id;
    const key = uniq('raw');
    const error = await db.sql
      .begin(async (sql) => {
        const [t] = await sql<{ id: string }[]>`
          insert into ledger_transactions (idempotency_key, kind, occurred_at)
          values (${key}, 'raw', now()) returning id`;
        await sql`insert into ledger_entries (transaction_id, account_id, amount_fen)
          values (${t!.id}, ${id(c.gateway)}, -100), (${t!.id}, ${id(c.case)}, 90)`;
        // Deferred: nothing is checked until COMMIT.
      })
      .then(
        () => undefined,
        (e: { code?: string; constraint_name?: string }) => e,
      );
    expect(error?.code).toBe('23514');
    expect(error?.constraint_name).toBe('ledger_entries_balanced');
    const left = await db.sql`select 1 from ledger_transactions where idempotency_key = ${key}`;
    expect(left).toHaveLength(0);

    // Balanced by the time of COMMIT is fine, even if an intermediate state was not.
    await db.sql.begin(async (sql) => {
      const [t] = await sql<{ id: string }[]>`
        insert into ledger_transactions (idempotency_key, kind, occurred_at)
        values (${uniq('raw')}, 'raw', now()) returning id`;
      await sql`insert into ledger_entries (transaction_id, account_id, amount_fen)
        values (${t!.id}, ${id(c.gateway)}, -100)`;
      await sql`insert into ledger_entries (transaction_id, account_id, amount_fen)
        values (${t!.id}, ${id(c.case)}, 100)`;
    });
    expect(await balanceOf(db.db, c.case)).toBe(100n);
  });

  it('statement: entries with a running balance, opening and closing, within a window', async () => {
    const c = await accounts();
    const day = (d: number) => new Date(Date.UTC(2026, 2, d, 2));
    for (const [d, amount] of [
      [1, 1_000n],
      [2, 2_000n],
      [3, 3_000n],
    ] as const) {
      await post(db.db, {
        ...move(uniq('k'), c.gateway, c.case, amount, 'case.payment'),
        occurredAt: day(d),
      });
    }
    await post(db.db, { ...move(uniq('k'), c.case, c.gateway, 500n, 'case.release'), occurredAt: day(4) });
    const all = await statement(db.db, c.case);
    expect(all.lines.map((l) => [l.amountFen, l.balanceFen])).toEqual([
      [1_000n, 1_000n],
      [2_000n, 3_000n],
      [3_000n, 6_000n],
      [-500n, 5_500n],
    ]);
    expect([all.openingFen, all.closingFen]).toEqual([0n, 5_500n]);
    const window = await statement(db.db, c.case, { from: day(2), to: day(4) });
    expect(window.lines.map((l) => [l.kind, l.amountFen, l.balanceFen])).toEqual([
      ['case.payment', 2_000n, 3_000n],
      ['case.payment', 3_000n, 6_000n],
    ]);
    expect([window.openingFen, window.closingFen]).toEqual([1_000n, 6_000n]);
    expect((await caught(statement(db.db, 'case:nope'))).code).toBe('not_found');
  });

  it('property: random deposit and case-fund flows keep the books balanced and match a model', async () => {
    type Op =
      | { t: 'hold'; bidder: number; amount: number }
      | { t: 'capture'; bidder: number; amount: number }
      | { t: 'release'; bidder: number; amount: number }
      | { t: 'forfeit'; amount: number }
      | { t: 'applyToCase'; amount: number }
      | { t: 'balancePayment'; amount: number }
      | { t: 'retry' };
    const amount = fc.integer({ min: 1, max: 50_000 });
    const bidder = fc.integer({ min: 0, max: 2 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ t: fc.constant('hold' as const), bidder, amount }),
      fc.record({ t: fc.constant('capture' as const), bidder, amount }),
      fc.record({ t: fc.constant('release' as const), bidder, amount }),
      fc.record({ t: fc.constant('forfeit' as const), amount }),
      fc.record({ t: fc.constant('applyToCase' as const), amount }),
      fc.record({ t: fc.constant('balancePayment' as const), amount }),
      fc.constant({ t: 'retry' as const }),
    );

    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        const run = uniq('p');
        const gateway = `gateway_clearing:local-${run}`;
        const deposits = [0, 1, 2].map((i) => `bidder_deposit:${run}-${i}`);
        const court = `court_deposits:${run}`;
        const forfeited = `forfeited_deposits:${run}`;
        const caseAccount = `case:${run}`;
        await ensureAccount(db.db, { code: gateway, kind: 'gateway_clearing', allowNegative: true });
        for (const d of deposits) await ensureAccount(db.db, { code: d, kind: 'bidder_deposit' });
        await ensureAccount(db.db, { code: court, kind: 'court_deposits' });
        await ensureAccount(db.db, { code: forfeited, kind: 'forfeited_deposits' });
        await ensureAccount(db.db, { code: caseAccount, kind: 'case' });

        const model = new Map<string, bigint>(
          [gateway, ...deposits, court, forfeited, caseAccount].map((c) => [c, 0n]),
        );
        let last: ReturnType<typeof move> | undefined;
        for (const o of ops) {
          let input: ReturnType<typeof move>;
          if (o.t === 'retry') {
            if (!last) continue;
            input = last; // a client retry: replays, moves nothing
          } else {
            const a = BigInt(o.amount);
            const [from, to] = {
              hold: [gateway, deposits[(o as { bidder: number }).bidder]!],
              capture: [deposits[(o as { bidder: number }).bidder]!, court],
              release: [deposits[(o as { bidder: number }).bidder]!, gateway],
              forfeit: [court, forfeited],
              applyToCase: [court, caseAccount],
              balancePayment: [gateway, caseAccount],
            }[o.t] as [string, string];
            input = move(uniq(`${run}-${o.t}`), from, to, a, `test.${o.t}`);
          }
          const [out, into] = input.entries as [
            { account: string; amountFen: bigint },
            { account: string; amountFen: bigint },
          ];
          const fits = out.account === gateway || model.get(out.account)! + out.amountFen >= 0n;
          const isRetry = input === last;
          try {
            await post(db.db, input);
            expect(fits || isRetry).toBe(true);
            if (!isRetry) {
              model.set(out.account, model.get(out.account)! + out.amountFen);
              model.set(into.account, model.get(into.account)! + into.amountFen);
              last = input;
            }
          } catch (e) {
            expect((e as { messageKey?: string }).messageKey).toBe('ledger.insufficientFunds');
            expect(fits).toBe(false);
          }

          const unbalanced = await db.sql`
            select transaction_id from ledger_entries group by transaction_id having sum(amount_fen) <> 0`;
          expect(unbalanced).toHaveLength(0);
          const trial = await trialBalance(db.db);
          expect(trial.totalFen).toBe(0n);
          expect(trial.accounts.filter((x) => !x.allowNegative && x.balanceFen < 0n)).toEqual([]);
          const mine = new Map(
            trial.accounts.filter((x) => model.has(x.code)).map((x) => [x.code, x.balanceFen]),
          );
          expect(mine).toEqual(model);
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
