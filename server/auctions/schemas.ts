import { z } from 'zod';
import { YuanSchema } from '../cases/schemas.js';
import { CreditCodeSchema, NationalIdSchema } from '../identity/schemas.js';

/**
 * A moment in time from a form or the API: ISO 8601 with an offset, or a naive
 * `YYYY-MM-DDTHH:mm` from <input type="datetime-local">, which is Beijing time.
 */
export const MomentSchema = z
  .string({ error: 'validation.required' })
  .trim()
  .transform((s, ctx) => {
    const naive = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(s);
    const d = new Date(naive ? `${s}+08:00` : s);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'validation.dateTime' });
      return z.NEVER;
    }
    return d;
  });

const text = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { error: 'validation.required' })
    .max(max, { error: 'validation.tooLong' });

/**
 * A priority purchaser as the panel designates him (art. 19, 21, 27): his name, rank and kind of
 * right, and his real-name identity, a person's resident ID number or an organisation's unified
 * social credit code, checked as signup checks an ID. The bidder whose verified identity is that
 * one registers as this purchaser (registrations.ts); the number is stored sealed, never in clear.
 */
export const PriorityPurchaserSchema = z
  .object({
    name: text(100),
    rank: z.coerce
      .number({ error: 'validation.rank' })
      .int({ error: 'validation.rank' })
      .min(1, { error: 'validation.rank' })
      .max(9, { error: 'validation.rank' }),
    rightKind: z.enum(['co_owner', 'lessee', 'shareholder', 'other'], { error: 'validation.required' }),
    identityKind: z
      .enum(['person', 'organisation'], { error: 'validation.identityKind' })
      .meta({ description: 'person: a resident ID number; organisation: a unified social credit code' }),
    idNumber: z
      .string({ error: 'validation.required' })
      .trim()
      .toUpperCase()
      .min(1, { error: 'validation.required' })
      .meta({
        description:
          'The 18-character resident ID number (person) or unified social credit code (organisation), check character included; stored encrypted and shown masked.',
      }),
  })
  .superRefine((p, ctx) => {
    if (!p.idNumber) return; // already "required"
    const number = (p.identityKind === 'person' ? NationalIdSchema : CreditCodeSchema).safeParse(p.idNumber);
    if (!number.success)
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: number.error.issues[0]!.message });
  });

/** The same identity twice on one listing is refused beside the second row's number. */
const PriorityPurchasersSchema = z
  .array(PriorityPurchaserSchema)
  .max(20)
  .default([])
  .superRefine((rows, ctx) => {
    const seen = new Set<string>();
    rows.forEach((p, i) => {
      const key = `${p.identityKind}:${p.idNumber}`;
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: [i, 'idNumber'], message: 'validation.duplicateIdentity' });
      seen.add(key);
    });
  });

export const ListingTermsSchema = z.object({
  startingPrice: YuanSchema,
  deposit: YuanSchema,
  increment: YuanSchema,
  announceAt: MomentSchema,
  startsAt: MomentSchema,
  endsAt: MomentSchema,
  balanceDays: z.coerce.number({ error: 'validation.required' }).int({ error: 'rules.balanceDays' }),
  specialNotices: text(10_000),
  taxes: text(2_000),
  taxPayer: z.enum(['each_by_law', 'buyer_all', 'seller_all'], { error: 'validation.required' }),
  viewing: text(2_000),
  contact: text(200),
  supervisionLine: text(200),
  purchaseRestricted: z
    .union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('false')])
    .optional()
    .transform((v) => v === true || v === 'on' || v === 'true'),
  priorityPurchasers: PriorityPurchasersSchema,
});
export type ListingTermsInput = z.input<typeof ListingTermsSchema>;

/** Fields of a published announcement that a published amendment may change. */
export const AMENDABLE = ['specialNotices', 'taxes', 'viewing', 'contact', 'supervisionLine'] as const;

export const AmendSchema = z.object({
  text: text(5_000),
  specialNotices: z.string().trim().max(10_000).optional(),
  taxes: z.string().trim().max(2_000).optional(),
  viewing: z.string().trim().max(2_000).optional(),
  contact: z.string().trim().max(200).optional(),
  supervisionLine: z.string().trim().max(200).optional(),
});

export const ReasonSchema = z.object({ reason: text(1_000) });

/**
 * Resumption (art. 28): new times set by the court, or, for an auction suspended mid-bidding,
 * neither, and bidding continues with the time that was left when it stopped.
 */
export const ResumeSchema = z
  .object({
    startsAt: MomentSchema.optional(),
    endsAt: MomentSchema.optional(),
    reason: z.string().trim().max(1_000).optional(),
  })
  .refine((v) => (v.startsAt === undefined) === (v.endsAt === undefined), {
    path: ['endsAt'],
    error: 'validation.required',
  });

/** `soonest`: live auctions ending first, then upcoming ones starting first, then the most recently ended. */
/** relevance (title matches first) is the default when there are keywords, soonest otherwise. */
export const SEARCH_SORTS = [
  'relevance',
  'soonest',
  'starts_asc',
  'starts_desc',
  'price_asc',
  'price_desc',
  'ends_asc',
] as const;

/** A Beijing calendar day, YYYY-MM-DD (the bidding-start date filters). */
const DaySchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'validation.date' })
  .refine((s) => !Number.isNaN(new Date(`${s}T00:00:00+08:00`).getTime()), { error: 'validation.date' });

export const SearchSchema = z
  .object({
    q: z.string().trim().max(50).optional(),
    type: z
      .enum([
        'residential',
        'commercial',
        'land_use_right',
        'vehicle',
        'equity',
        'machinery',
        'other_movable',
      ])
      .optional(),
    province: z.string().trim().max(20).optional(),
    city: z.string().trim().max(30).optional(),
    district: z.string().trim().max(30).optional(),
    court: z.string().trim().max(20).optional(),
    minPrice: YuanSchema.optional(),
    maxPrice: YuanSchema.optional(),
    status: z.enum(['upcoming', 'live', 'ended', 'sold', 'failed']).optional(),
    /** 1: first auction, 2: re-auction, 3: fixed-price sale (变卖). */
    round: z.coerce.number().int().min(1).max(3).optional(),
    /** Bidding starts on or after / on or before these Beijing days. */
    from: DaySchema.optional(),
    to: DaySchema.optional(),
    /** yes: only sales with a purchase restriction (限购); no: only those without. */
    restricted: z.enum(['yes', 'no']).optional(),
    sort: z.enum(SEARCH_SORTS).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    /** Keyset cursors (ADR 020): the page after / before the row they name. */
    after: z.string().trim().max(400).optional(),
    before: z.string().trim().max(400).optional(),
  })
  .refine((f) => !(f.after && f.before), { path: ['before'] });

/** A yes/no of a form's radio group; absent is "not stated" (null). */
const YesNoSchema = z
  .union([z.boolean(), z.enum(['yes', 'no', 'true', 'false', ''])])
  .optional()
  .transform((v) =>
    v === true || v === 'yes' || v === 'true'
      ? true
      : v === false || v === 'no' || v === 'false'
        ? false
        : null,
  );

/** One arrear (ADR 029): its kind, what it is, the amount in yuan, and who settles it. */
export const ArrearSchema = z.object({
  kind: z.enum(['property_fees', 'utilities', 'other'], { error: 'validation.required' }),
  description: text(200),
  amount: YuanSchema.refine((v) => v > 0n, { error: 'validation.amount' }),
  payer: z.enum(['buyer', 'proceeds'], { error: 'validation.required' }),
});

/**
 * The structured disclosure of a listing (art. 14(5), (9); ADR 029). Occupancy by a tenant needs
 * the lease's end and its rent; "other" needs a note. `arrears` is the whole list (empty: none
 * known); the loan answer may stay unstated. Tax split and text stay the listing's terms.
 */
export const DisclosureSchema = z
  .object({
    occupancy: z.enum(['vacant', 'owner_occupied', 'tenant', 'other'], { error: 'validation.required' }),
    leaseEndsOn: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), {
        error: 'validation.date',
      }),
    monthlyRent: z
      .union([z.literal(''), YuanSchema])
      .optional()
      .transform((v) => (v === '' || v === undefined ? null : v)),
    occupancyNote: z
      .string()
      .trim()
      .max(1_000, { error: 'validation.tooLong' })
      .optional()
      .transform((v) => (v ? v : null)),
    arrears: z.array(ArrearSchema).max(20).default([]),
    loanSupported: YesNoSchema,
  })
  .superRefine((d, ctx) => {
    if (d.occupancy === 'tenant') {
      if (!d.leaseEndsOn)
        ctx.addIssue({ code: 'custom', path: ['leaseEndsOn'], message: 'validation.required' });
      if (d.monthlyRent === null)
        ctx.addIssue({ code: 'custom', path: ['monthlyRent'], message: 'validation.required' });
    }
    if (d.occupancy === 'other' && !d.occupancyNote)
      ctx.addIssue({ code: 'custom', path: ['occupancyNote'], message: 'validation.required' });
  });
export type DisclosureInput = z.input<typeof DisclosureSchema>;

/** A viewing slot the clerk offers (art. 7(2)): when, where, how many seats. */
export const ViewingSlotSchema = z
  .object({
    startsAt: MomentSchema,
    endsAt: MomentSchema,
    place: text(200),
    capacity: z.coerce
      .number({ error: 'validation.required' })
      .int({ error: 'disclosure.errors.capacity' })
      .min(1, { error: 'disclosure.errors.capacity' })
      .max(500, { error: 'disclosure.errors.capacity' }),
  })
  .superRefine((s, ctx) => {
    if (s.endsAt <= s.startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'disclosure.errors.slotEndsBeforeStart' });
  });

/** Integer fen as digits (a string, a number or a bigint): amounts of bids and proxy maximums. */
const FenSchema = z
  .union([z.string(), z.number(), z.bigint()], { error: 'validation.amount' })
  .transform((v, ctx) => {
    const s = String(v).trim();
    if (!/^\d{1,15}$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'validation.amount' });
      return z.NEVER;
    }
    return BigInt(s);
  });

/** A bid (the engine's and the practice auction's). */
export const BidSchema = z.object({
  amountFen: FenSchema,
  /** Client-generated, per bid: a retry with the same key returns the first answer. */
  clientKey: z.string({ error: 'validation.required' }).regex(/^[\w-]{8,64}$/, 'validation.clientKey'),
});

/** A proxy order's maximum. */
export const ProxySchema = z.object({ maxFen: FenSchema });
