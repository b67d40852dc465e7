import { describe, expect, it } from 'vitest';
import type { Sale } from '../../db/schema/sales';
import type { Actor } from '../identity/permissions';
import { decideSaleActions } from './affordances';
import {
  beijingDay,
  canMoveSale,
  chineseDate,
  chineseNumeral,
  extinguishedBySale,
  rulingNumberOf,
  saleSteps,
  yuanText,
} from './rules';
import { rulingDocument } from './ruling-document';

const actor = (roles: Actor['roles'], organisationId: string | null = 'court-a'): Actor => ({
  userId: 'u',
  sessionId: 's',
  roles,
  organisationId,
  orgKind: organisationId ? 'court' : null,
});

const paidAt = new Date('2026-03-01T02:00:00Z');
const sale = (patch: Partial<Sale> = {}): Sale => ({
  id: 's',
  listingId: 'l',
  balanceId: 'b',
  courtId: 'court-a',
  caseId: 'c',
  assetId: 'a',
  registrationId: 'r',
  buyerId: 'buyer',
  priceFen: 77_000_000n,
  currency: 'CNY',
  purchaseRestricted: false,
  status: 'awaiting_ruling',
  paidAt,
  rulingDueAt: new Date(paidAt.getTime() + 10 * 86_400_000),
  rulingOverdueAt: null,
  eligibilityCheckedAt: null,
  eligibilityCheckedBy: null,
  eligibilityFailureReason: null,
  rulingNumber: null,
  rulingIssuedAt: null,
  rulingIssuedBy: null,
  rulingStorageKey: null,
  rulingSha256: null,
  rulingSize: null,
  servedOn: null,
  servedRecordedAt: null,
  servedRecordedBy: null,
  handoverDueAt: null,
  handoverOverdueAt: null,
  handoverScheduledFor: null,
  handoverPlace: null,
  handedOverOn: null,
  handoverNote: null,
  obstructionReason: null,
  handoverObstructedAt: null,
  createdAt: paidAt,
  updatedAt: paidAt,
  ...patch,
});

describe('the ruling’s number and dates', () => {
  it('numbers rulings as the case number 之 the ordinal, and writes dates as a court document does', () => {
    expect([1, 2, 10, 11, 20, 21, 99].map(chineseNumeral)).toEqual([
      '一',
      '二',
      '十',
      '十一',
      '二十',
      '二十一',
      '九十九',
    ]);
    expect(rulingNumberOf('(2026)青0104执801号', 2)).toBe('(2026)青0104执801号之二');
    expect(chineseDate('2026-03-12')).toBe('二〇二六年三月十二日');
    // Beijing's day: 17:00 UTC is already the next day there.
    expect(beijingDay(new Date('2026-03-11T17:00:00Z'))).toBe('2026-03-12');
    expect(yuanText(123_456_789n)).toBe('1,234,567.89');
    expect(yuanText(5n)).toBe('0.05');
  });
});

describe('the sale’s state machine', () => {
  it('moves only forward, the handover again after an obstruction, nothing after the handover', () => {
    expect(canMoveSale('eligibility_check', 'ruling_issued')).toBe(false);
    expect(canMoveSale('awaiting_ruling', 'ruling_served')).toBe(false);
    expect(canMoveSale('handover_obstructed', 'handover_scheduled')).toBe(true);
    expect(canMoveSale('handover_obstructed', 'handed_over')).toBe(false);
    expect(canMoveSale('handed_over', 'handover_scheduled')).toBe(false);
  });

  it('extinguishes security interests and seizures, not leases or occupation (art. 28)', () => {
    expect(
      (['mortgage', 'seizure', 'lease', 'occupancy', 'other'] as const).map((kind) =>
        extinguishedBySale({ kind }),
      ),
    ).toEqual([true, true, false, false, false]);
  });
});

describe('what each viewer may do (decideSaleActions)', () => {
  it('a clerk manages, a judge also rules; another court finds nothing; a bidder is refused', () => {
    const clerk = decideSaleActions(actor(['court_clerk']), sale());
    expect(clerk.issueRuling?.code).toBe('forbidden');
    expect(clerk.recordService?.messageKey).toBe('sales.errors.rulingNotIssued');
    const judge = decideSaleActions(actor(['court_panel']), sale());
    expect(judge.issueRuling).toBeNull();
    expect(judge.recordEligibility?.messageKey).toBe('sales.errors.notRestricted');
    const elsewhere = decideSaleActions(actor(['court_panel'], 'court-b'), sale());
    expect(Object.values(elsewhere).every((e) => e?.code === 'not_found')).toBe(true);
    const bidder = decideSaleActions(actor(['bidder'], null), sale());
    expect(Object.values(bidder).every((e) => e?.code === 'forbidden')).toBe(true);
    expect(decideSaleActions(null, sale()).issueRuling?.code).toBe('unauthenticated');
  });

  it('a restricted sale is ruled only after the re-check passed (限购)', () => {
    const judge = actor(['court_panel']);
    expect(
      decideSaleActions(judge, sale({ purchaseRestricted: true, status: 'eligibility_check' })).issueRuling
        ?.messageKey,
    ).toBe('sales.errors.eligibilityPending');
    const failed = decideSaleActions(judge, sale({ purchaseRestricted: true, status: 'eligibility_failed' }));
    expect(failed.issueRuling?.messageKey).toBe('sales.errors.eligibilityFailed');
    expect(failed.recordEligibility).toBeNull();
  });

  it('the handover: scheduled once served, again after an obstruction; done or obstructed once scheduled', () => {
    const clerk = actor(['court_clerk']);
    const at = (status: Sale['status']) => decideSaleActions(clerk, sale({ status }));
    expect(at('ruling_issued').scheduleHandover?.messageKey).toBe('sales.errors.notServed');
    expect(at('ruling_served').scheduleHandover).toBeNull();
    expect(at('handover_obstructed').scheduleHandover).toBeNull();
    expect(at('handover_scheduled')).toMatchObject({ recordHandover: null, recordObstruction: null });
    expect(at('handed_over').recordHandover?.messageKey).toBe('sales.errors.handedOver');
  });
});

describe('the steps a page shows (saleSteps)', () => {
  const endedAt = new Date('2026-02-27T02:00:00Z');

  it('before the ruling: its deadline, marked overdue only once the job did; the handover not yet dated', () => {
    const steps = saleSteps(sale({ rulingOverdueAt: new Date() }), endedAt);
    expect(steps.map((s) => [s.key, s.state])).toEqual([
      ['hammer', 'done'],
      ['confirmation', 'done'],
      ['balancePaid', 'done'],
      ['ruling', 'current'],
      ['service', 'upcoming'],
      ['handover', 'upcoming'],
    ]);
    expect(steps[3]).toMatchObject({ dueAt: sale().rulingDueAt, overdue: true });
    expect(steps[5]!.dueAt).toBeNull();
  });

  it('a failed re-check blocks the ruling; an obstruction blocks the handover, with the reasons', () => {
    const failed = saleSteps(
      sale({
        purchaseRestricted: true,
        status: 'eligibility_failed',
        eligibilityFailureReason: '名下已有两套住房',
      }),
      endedAt,
    );
    expect(failed.find((s) => s.key === 'eligibility')).toMatchObject({
      state: 'blocked',
      reason: '名下已有两套住房',
    });
    expect(failed.find((s) => s.key === 'ruling')!.state).toBe('blocked');
    const obstructed = saleSteps(
      sale({
        status: 'handover_obstructed',
        rulingNumber: 'N',
        rulingIssuedAt: paidAt,
        servedOn: '2026-03-02',
        handoverDueAt: new Date('2026-03-16T02:00:00Z'),
        obstructionReason: '占有人拒不迁出',
      }),
      endedAt,
    );
    expect(obstructed.find((s) => s.key === 'service')).toMatchObject({ state: 'done', day: '2026-03-02' });
    expect(obstructed.find((s) => s.key === 'handover')).toMatchObject({
      state: 'blocked',
      outcome: 'obstructed',
      reason: '占有人拒不迁出',
    });
  });
});

describe('the ruling as a document', () => {
  const facts = {
    court: '西宁市城西区人民法院',
    caseNumber: '(2026)青0104执801号',
    number: '(2026)青0104执801号之一',
    applicants: ['青海某银行'],
    respondents: ['张某', '李某'],
    buyer: { name: '王买受', idMasked: '630***********1234' },
    asset: {
      title: '住宅一套',
      address: '青海省西宁市城西区胜利路 1 号',
      encumbrances: [
        { kind: 'mortgage' as const, description: '抵押权人：某银行' },
        { kind: 'lease' as const, description: '租期至 2027 年' },
      ],
    },
    kind: 'auction' as const,
    priceFen: 123_456_700n,
    endedAt: new Date('2026-03-01T02:00:00Z'),
    paidAt: new Date('2026-03-05T02:00:00Z'),
    eligibilityCheckedAt: null,
    judge: '李法官',
    issuedAt: new Date('2026-03-10T02:00:00Z'),
  };

  it('names the case, the asset, the buyer, the price and the encumbrances the sale extinguishes and leaves', () => {
    const doc = rulingDocument(facts);
    expect(doc.title).toBe('执行裁定书(2026)青0104执801号之一');
    expect(doc.date).toEqual(facts.issuedAt);
    const text = doc.blocks.map((b) => ('text' in b ? b.text : b.lines.join('\n'))).join('\n');
    expect(text).toContain('买受人：王买受，居民身份证号码 630***********1234。');
    expect(text).toContain('被执行人：张某、李某。');
    expect(text).toContain('人民币1,234,567.00元');
    expect(text).toContain('二〇二六年三月一日');
    expect(text).toMatch(/三、上述财产上的下列权利负担因本次拍卖而消灭.*抵押权（抵押权人：某银行）/);
    expect(text).toMatch(/四、上述财产上的下列权利不因本次拍卖而消灭：租赁权（租期至 2027 年）/);
    expect(text).toContain('执行法官　李法官\n二〇二六年三月十日');
    expect(text).not.toContain('限购');
    const restricted = rulingDocument({ ...facts, eligibilityCheckedAt: new Date('2026-03-08T02:00:00Z') });
    expect(restricted.blocks.some((b) => 'text' in b && b.text.includes('二〇二六年三月八日复核'))).toBe(
      true,
    );
  });
});
