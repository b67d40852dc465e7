import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { resources } from '../app/i18n/catalogs.server';
import { AmendSchema, ListingTermsSchema, ReasonSchema, ResumeSchema } from './auctions/schemas';
import { CreateAssetSchema, CreateCaseSchema } from './cases/schemas';
import { CreateStaffSchema, LoginSchema, SignupSchema } from './identity/schemas';
import {
  DecideTransferSchema,
  RecordTransferSchema,
  RegisterSchema,
  StartPaymentSchema,
} from './payments/schemas';
import { fieldErrorsOf } from './validation';

const catalog = resources['zh-CN'].translation as Record<string, unknown>;
const known = (key: string) =>
  typeof key
    .split('.')
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], catalog) === 'string';

/** Inputs that break every field in some way: missing, wrong type, out of range. */
const bad: unknown[] = [
  {},
  { email: 5, password: [], realName: {}, nationalId: 1, phone: true },
  {
    caseNumber: 'x',
    amountOwed: '1.234',
    parties: [{ role: 'judge', kind: 'robot', name: '', claim: 'abc' }],
    basis: '',
  },
  {
    type: 'castle',
    encumbrances: [{ kind: 'curse', description: '' }],
    appraisal: '-1',
    appraisalBasis: 'guess',
    appraisalDate: '2026-02-30',
  },
  {
    startingPrice: 'abc',
    announceAt: 'tomorrow',
    startsAt: '2026-13-01T10:00',
    balanceDays: 'x',
    taxPayer: 'nobody',
    priorityPurchasers: [
      { name: '', rank: 10, rightKind: 'friend' },
      { name: 'a', rank: 0.5 },
      { name: 'b', rank: 1, rightKind: 'other', identityKind: 'alien', idNumber: 5 },
      { name: 'c', rank: 1, rightKind: 'other', identityKind: 'person', idNumber: '110105194912310021' },
      {
        name: 'd',
        rank: 1,
        rightKind: 'other',
        identityKind: 'organisation',
        idNumber: '91350100M000100Y44',
      },
      { name: 'e', rank: 1, rightKind: 'other', identityKind: 'person', idNumber: ' ' },
    ],
  },
  {
    priorityPurchasers: [
      { name: 'f', rank: 1, rightKind: 'other', identityKind: 'person', idNumber: '11010519491231002X' },
      { name: 'g', rank: 2, rightKind: 'other', identityKind: 'person', idNumber: '11010519491231002x' },
    ],
  },
  {
    target: 'car',
    id: 7,
    method: 'cash',
    reference: '',
    amount: 'x',
    bankReference: 5,
    receivedOn: '2026-02-30',
  },
  { decision: 'reject', reason: '', acceptNotices: 'yes' },
  { reference: 'x'.repeat(50), bankReference: 'y'.repeat(70), receivedOn: '2026/03/01', decision: 'maybe' },
];

describe('every validation message is a catalog key (users never see raw zod English)', () => {
  const schemas: Array<[string, z.ZodType]> = [
    ['signup', SignupSchema],
    ['login', LoginSchema],
    ['staff', CreateStaffSchema],
    ['case', CreateCaseSchema],
    ['asset', CreateAssetSchema],
    ['listing', ListingTermsSchema],
    ['amend', AmendSchema],
    ['reason', ReasonSchema],
    ['resume', ResumeSchema],
    ['start payment', StartPaymentSchema],
    ['record transfer', RecordTransferSchema],
    ['decide transfer', DecideTransferSchema],
    ['register', RegisterSchema],
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
