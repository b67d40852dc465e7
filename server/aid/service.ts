import type { Database } from '../../db/client.js';
import type { Clock } from '../clock.js';
import type { BlobStorage } from '../storage/storage.js';
import { createAidClaimService } from './claims.js';
import { createAidPaymentService } from './payments.js';
import { createAidPolicyService } from './policies.js';
import { createAidReportService } from './reports.js';

/** The enforcement-aid module: policies, claims and their review, payments, reports (ADR 009). */
export function createAidService({
  db,
  clock,
  storage,
}: {
  db: Database;
  clock: Clock;
  storage: BlobStorage;
}) {
  const policies = createAidPolicyService({ db, clock });
  const claims = createAidClaimService({ db, clock, storage, policies });
  const payments = createAidPaymentService({ db, clock });
  const reports = createAidReportService({ db, clock });
  return { policies, claims, payments, reports, jobHandlers: claims.jobHandlers };
}

export type AidService = ReturnType<typeof createAidService>;
