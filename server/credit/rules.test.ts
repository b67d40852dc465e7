import { describe, expect, it } from 'vitest';
import { withCheckCharacter } from '../identity/national-id';
import {
  ageOn,
  deletionGroundOfClosure,
  extensionAllowed,
  type ListingFacts,
  listingBars,
  maskForList,
  missingCompanyRoles,
  personOfNationalId,
  publishOnOf,
  removalDueAt,
  termExpiresAt,
  termLastDay,
  termMonthsOf,
} from './rules';

const facts = (patch: Partial<ListingFacts> = {}): ListingFacts => ({
  ground: 1,
  subjectKind: 'person',
  birthDate: '1980-05-01',
  on: '2026-03-10',
  owedFen: 1_000_000,
  seizedFen: 0,
  securityGiven: false,
  laterInOrder: false,
  ...patch,
});

describe('who may be listed (失信规定 arts. 3-4)', () => {
  it('never a minor: refused the day before the 18th birthday, allowed on it', () => {
    const id = withCheckCharacter('63010420080310001');
    const { birthDate } = personOfNationalId(id);
    expect(birthDate).toBe('2008-03-10');
    expect(listingBars(facts({ ground: 2, birthDate, on: '2026-03-09' }))).toEqual(['minor']);
    expect(listingBars(facts({ ground: 2, birthDate, on: '2026-03-10' }))).toEqual([]);
    expect(ageOn(birthDate, '2026-03-09')).toBe(17);
  });

  it('a company has no age', () => {
    expect(listingBars(facts({ subjectKind: 'company', birthDate: null }))).toEqual([]);
  });

  it('ground 1 is refused when seized property covers the debt, allowed one fen short', () => {
    expect(listingBars(facts({ seizedFen: 1_000_000 }))).toEqual(['seizedCovers']);
    expect(listingBars(facts({ seizedFen: 999_999 }))).toEqual([]);
    // The other grounds are not barred by seized property.
    expect(listingBars(facts({ ground: 3, seizedFen: 2_000_000 }))).toEqual([]);
  });

  it('ground 1 is refused with adequate security or a debtor later in the order', () => {
    expect(listingBars(facts({ securityGiven: true, laterInOrder: true }))).toEqual([
      'securityGiven',
      'laterInOrder',
    ]);
  });
});

describe('the term (art. 2)', () => {
  it('ground 1 has none; grounds 2-6 two years, plus 1-3 in serious cases', () => {
    expect(termMonthsOf(1, 0)).toBeNull();
    expect(termMonthsOf(2, 0)).toBe(24);
    expect(termMonthsOf(5, 3)).toBe(60);
    expect(extensionAllowed(1, 1)).toBe(false);
    expect(extensionAllowed(2, 3)).toBe(true);
    expect(extensionAllowed(2, 4)).toBe(false);
  });

  it('a 2-year term ends on its day: the corresponding day, expiring at the next Beijing midnight', () => {
    expect(termLastDay('2024-03-15', 24)).toBe('2026-03-15');
    // No 29 February in 2026: the month's last day (Civil Code art. 202).
    expect(termLastDay('2024-02-29', 24)).toBe('2026-02-28');
    expect(termExpiresAt('2026-03-15').toISOString()).toBe('2026-03-15T16:00:00.000Z');
  });

  it('a grace period of 1-3 months delays publication', () => {
    expect(publishOnOf('2026-01-31', 1)).toBe('2026-02-28');
    expect(publishOnOf('2026-01-31', 0)).toBe('2026-01-31');
  });
});

describe('deletion within 3 working days (art. 10)', () => {
  it('across the Spring Festival: a make-up Saturday counts, the holiday week does not', () => {
    // Performed on Friday 13 February 2026 (Beijing afternoon). 14 Feb is a make-up working day
    // (1), 15-23 Feb are off, 24 Feb (2), 25 Feb (3): due at the end of 25 February.
    const due = removalDueAt(new Date('2026-02-13T07:00:00Z'));
    expect(due.toISOString()).toBe('2026-02-25T16:00:00.000Z');
  });

  it('across the National Day week, ending on a make-up Saturday', () => {
    // Performed on Wednesday 30 September 2026; 1-7 Oct off; 8 (1), 9 (2), Saturday 10 Oct worked (3).
    expect(removalDueAt(new Date('2026-09-30T03:00:00Z')).toISOString()).toBe('2026-10-10T16:00:00.000Z');
  });

  it('the closure modes that delete, and 终本 which does not', () => {
    expect(deletionGroundOfClosure('fully_performed')).toBe('performed');
    expect(deletionGroundOfClosure('settlement_performed')).toBe('settlement_performed');
    expect(deletionGroundOfClosure('terminated')).toBe('enforcement_terminated');
    expect(deletionGroundOfClosure('terminated_for_now')).toBeNull();
  });
});

describe('publication', () => {
  it('masks the ID as the national list does', () => {
    expect(maskForList('342301196405123224')).toBe('3423011964****3224');
  });

  it("names a company's legal representative and actual controller", () => {
    expect(missingCompanyRoles(['debtor', 'legal_representative'])).toEqual(['actual_controller']);
    expect(missingCompanyRoles(['legal_representative', 'actual_controller'])).toEqual([]);
  });
});
