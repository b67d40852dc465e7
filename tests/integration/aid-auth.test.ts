import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as index from '../../app/routes/aid._index';
import * as batches from '../../app/routes/aid.batches._index';
import * as batch from '../../app/routes/aid.batches.$batchId';
import * as batchExport from '../../app/routes/aid.batches.$batchId.export';
import * as claimPage from '../../app/routes/aid.claims.$claimId';
import * as documents from '../../app/routes/aid.documents.$documentId';
import * as policies from '../../app/routes/aid.policies';
import * as csv from '../../app/routes/aid.report-csv';
import * as reports from '../../app/routes/aid.reports';
import type { AidClaim } from '../../db/schema/aid';
import type { Actor } from '../../server/identity/permissions';
import { createLogger } from '../../server/logger';
import { type AidWorld, aidWorld, confirmationCsv, driveTo, readyClaim } from '../support/aid';
import { createTestDatabase } from '../support/db';
import { caught, testConfig } from '../support/fixtures';

// Insurer B and another court reach insurer A's claims through no route: every loader and
// action of the aid screens, called as Remix calls them, answers 404 (or shows nothing).

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: AidWorld;
let paid: AidClaim;
let failedPaymentId: string;
let batchId: string;
let documentId: string;
let reference: string;

const context = (actor: Actor) =>
  ({
    services: w.services,
    auth: { user: { id: actor.userId, roles: actor.roles, realName: 'x' }, actor },
    csrfToken: 'csrf',
    nonce: 'n',
    locale: 'zh-CN',
    meta: { ip: '127.0.0.1', userAgent: 'vitest', requestId: 'test' },
    log: createLogger(testConfig()),
    cookieSecure: false,
    publicConfig: { rulesProfile: 'statutory', accelerationFactor: 1, simulatedPayments: true },
  }) as unknown as AppLoadContext;

const get = (path: string) => new Request(`http://test${path}`);
/** A form post as a browser sends it: with its Content-Length (uploads without one are refused). */
async function post(path: string, fields: Record<string, string | File>) {
  const form = new FormData();
  form.set('csrf', 'csrf');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const encoded = new Response(form);
  const body = await encoded.arrayBuffer();
  return new Request(`http://test${path}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': encoded.headers.get('content-type')!,
      'content-length': String(body.byteLength),
    },
  });
}

/** The HTTP status a loader or action answered with (thrown or returned). */
async function status(p: Promise<unknown> | unknown): Promise<number> {
  try {
    const r = await p;
    if (r instanceof Response) return r.status;
    const init = (r as { init?: { status?: number } | null })?.init;
    return init?.status ?? 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    const init = (e as { init?: { status?: number } | null })?.init;
    if (init?.status) return init.status;
    throw e;
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  w = await aidWorld(db);
  paid = await driveTo(w, await readyClaim(w), 'paid');
  const got = await w.services.aid.claims.getClaim(w.adjuster, paid.id);
  documentId = got.documents[0]!.id;
  batchId = got.payments[0]!.batchId;
  reference = got.payments[0]!.reference;
  // A failed payment of insurer A, waiting for a reissue.
  const other = await driveTo(w, await readyClaim(w), 'payment');
  const p = (await w.services.aid.claims.getClaim(w.adjuster, other.id)).payments[0]!;
  await w.services.aid.payments.approveBatch(w.manager, p.batchId);
  await w.services.aid.payments.exportBatch(w.adjuster, p.batchId);
  await w.services.aid.payments.importConfirmations(
    w.adjuster,
    confirmationCsv([{ reference: p.reference, amount: '35000', status: 'FAILED', reason: 'DECEASED' }]),
  );
  failedPaymentId = p.id;
});
afterAll(() => db.drop());

describe('insurer B and another court cannot reach insurer A’s claims through any route', () => {
  const outsiders = () =>
    [
      ['insurer B adjuster', w.adjusterB],
      ['insurer B manager', w.managerB],
      ['another court’s clerk', w.xiningClerk],
    ] as const;

  it('the claim page, its every action and its documents answer 404', async () => {
    for (const [who, actor] of outsiders()) {
      const ctx = context(actor);
      const params = { claimId: paid.id };
      expect(
        await status(claimPage.loader({ request: get(`/aid/claims/${paid.id}`), context: ctx, params })),
        who,
      ).toBe(404);
      for (const intent of [
        'submit',
        'withdraw',
        'returnForDocuments',
        'startCourtReview',
        'referToCommittee',
        'courtApprove',
        'courtReject',
        'insurerStartReview',
        'insurerApprove',
        'insurerDecline',
        'close',
        'recordRecovery',
      ]) {
        const res = claimPage.action({
          request: await post(`/aid/claims/${paid.id}`, {
            intent,
            amount: '1',
            reason: 'x',
            note: 'x',
            kind: 'subrogation',
            source: 'external',
          }),
          context: ctx,
          params,
        });
        // Not found, or refused by role before the lookup (a court clerk is never an insurer): never done.
        expect([403, 404], `${who} ${intent}`).toContain(await status(res));
      }
      expect(
        await status(
          documents.loader({
            request: get(`/aid/documents/${documentId}`),
            context: ctx,
            params: { documentId },
          }),
        ),
        who,
      ).toBe(404);
    }
    // Nothing changed.
    expect((await w.services.aid.claims.getClaim(w.adjuster, paid.id)).claim.status).toBe('paid');
  });

  it('lists, reports and policies show none of A’s data', async () => {
    for (const [who, actor] of outsiders()) {
      const ctx = context(actor);
      const list = (await index.loader({ request: get('/aid'), context: ctx, params: {} })) as Awaited<
        ReturnType<typeof index.loader>
      >;
      expect(
        list.rows.map((r) => r.id),
        who,
      ).not.toContain(paid.id);
      const year = new Date().getUTCFullYear();
      const r = (await reports.loader({
        request: get(`/aid/reports?from=${year - 1}-01&to=${year + 1}-12`),
        context: ctx,
        params: {},
      })) as Awaited<ReturnType<typeof reports.loader>>;
      expect(r.totals.paidFen, who).toBe(0n);
      const p = (await policies.loader({
        request: get('/aid/policies'),
        context: ctx,
        params: {},
      })) as Awaited<ReturnType<typeof policies.loader>>;
      expect(
        p.policies.map((x) => x.id),
        who,
      ).not.toContain(w.policy.id);
      const file = (await csv.loader({
        request: get(`/aid/report-csv?from=${year - 1}-01&to=${year + 1}-12`),
        context: ctx,
        params: {},
      })) as Response;
      // The reader's language (zh-CN here), as every CSV of the court's.
      expect(await file.text(), who).toContain('合计,0.00,');
    }
  });

  it('A’s batches and payments answer 404 to insurer B; B’s bank file cannot confirm A’s payment', async () => {
    const ctx = context(w.managerB);
    expect(
      await status(
        batch.loader({ request: get(`/aid/batches/${batchId}`), context: ctx, params: { batchId } }),
      ),
    ).toBe(404);
    expect(
      await status(
        batch.action({
          request: await post(`/aid/batches/${batchId}`, { intent: 'approve' }),
          context: ctx,
          params: { batchId },
        }),
      ),
    ).toBe(404);
    expect(
      await status(
        batchExport.action({
          request: await post(`/aid/batches/${batchId}/export`, {}),
          context: ctx,
          params: { batchId },
        }),
      ),
    ).toBe(404);
    for (const intent of ['reissue', 'cancel'])
      expect(
        await status(
          batches.action({
            request: await post('/aid/batches', { intent, paymentId: failedPaymentId }),
            context: context(w.adjusterB),
            params: {},
          }),
        ),
      ).toBe(404);
    const file = new File([confirmationCsv([{ reference, amount: '35000' }])], 'bank.csv', {
      type: 'text/csv',
    });
    const res = (await batches.action({
      request: await post('/aid/batches', { intent: 'import', file }),
      context: context(w.adjusterB),
      params: {},
    })) as {
      imported: { unmatched: unknown[] };
    };
    expect(res.imported.unmatched).toEqual([{ line: 2, reference, reason: 'unknownReference' }]);
    const list = (await batches.loader({
      request: get('/aid/batches'),
      context: context(w.adjusterB),
      params: {},
    })) as Awaited<ReturnType<typeof batches.loader>>;
    expect(list.batches.rows).toEqual([]);
    expect(list.batches.total).toBe(0);
    expect(list.failed).toEqual([]);
  });

  it('a court clerk cannot approve as the insurer, nor a judge as the court on an insurer’s page', async () => {
    const claim = await driveTo(w, await readyClaim(w), 'insurer_review');
    const params = { claimId: claim.id };
    for (const actor of [w.clerk, w.panel]) {
      const res = claimPage.action({
        request: await post(`/aid/claims/${claim.id}`, { intent: 'insurerApprove', amount: '35000' }),
        context: context(actor),
        params,
      });
      expect(await status(res)).toBe(403);
    }
    expect(
      (await caught(w.services.aid.claims.insurerApprove(w.clerk, claim.id, { amount: '35000' }))).code,
    ).toBe('forbidden');
    // The insurer cannot act as the court either.
    const courtStage = await driveTo(w, await readyClaim(w), 'court_review');
    expect(
      (await caught(w.services.aid.claims.courtApprove(w.adjuster, courtStage.id, { amount: '35000' }))).code,
    ).toBe('forbidden');
    expect((await w.services.aid.claims.getClaim(w.clerk, claim.id)).claim.status).toBe('insurer_review');
  });
});
