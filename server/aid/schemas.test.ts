import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { resources } from '../../app/i18n/catalogs.server';
import { fieldErrorsOf } from '../validation';
import {
  AmountDecisionSchema,
  ClaimFilterSchema,
  CourtSettingsSchema,
  CreateBatchSchema,
  CreateClaimSchema,
  CreatePolicySchema,
  ReasonSchema,
  RecoverySchema,
  ReissueSchema,
  ReportQuerySchema,
} from './schemas';

const catalog = resources['zh-CN'].translation as Record<string, unknown>;
const known = (key: string) =>
  typeof key
    .split('.')
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], catalog) === 'string';

/** Inputs that break every field some way: missing, wrong type, out of range, inconsistent. */
const bad: unknown[] = [
  {},
  {
    number: '',
    courtId: 'x',
    startsOn: '2026-02-30',
    endsOn: 5,
    premium: 'abc',
    limit: '0',
    eligibleCaseTypes: ['piracy'],
    tiers: [{ upTo: '-1', rate: '120' }],
    cap: '',
    committeeThreshold: '0',
  },
  { startsOn: '2026-12-31', endsOn: '2026-01-01', tiers: [], eligibleCaseTypes: [] },
  {
    caseId: 'nope',
    partyId: 1,
    policyId: null,
    caseType: 'piracy',
    eligibility: 'other',
    filedVia: 'pigeon',
    unpaid: '1.234',
    requested: '0',
    hardship: '',
    payeeName: 'x'.repeat(200),
    accountNumber: '12ab',
    amount: '-1',
    reason: '',
    claimIds: ['x'],
    kind: 'gift',
    source: 'air',
    note: '',
    status: 'lost',
    overdue: 'maybe',
    page: '0',
    from: '2026-13',
    to: 'soon',
  },
  { from: '2026-05', to: '2026-01', claimIds: [] },
];

describe('every aid validation message is a catalog key', () => {
  const schemas: Array<[string, z.ZodType]> = [
    ['policy', CreatePolicySchema],
    ['settings', CourtSettingsSchema],
    ['claim', CreateClaimSchema],
    ['reason', ReasonSchema],
    ['amount', AmountDecisionSchema],
    ['batch', CreateBatchSchema],
    ['reissue', ReissueSchema],
    ['recovery', RecoverySchema],
    ['filter', ClaimFilterSchema],
    ['report', ReportQuerySchema],
  ];
  it.each(schemas)('%s', (_name, schema) => {
    const messages = new Set<string>();
    for (const input of bad) {
      const r = schema.safeParse(input);
      if (!r.success)
        for (const keys of Object.values(fieldErrorsOf(r.error))) for (const k of keys) messages.add(k);
    }
    expect(messages.size).toBeGreaterThan(0);
    expect([...messages].filter((m) => !known(m))).toEqual([]);
  });
});
