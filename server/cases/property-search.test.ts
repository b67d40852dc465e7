import { describe, expect, it } from 'vitest';
import { simulatedHoldingOf, simulatedPropertySearch } from './property-search';

describe('the simulated property search', () => {
  it('answers the same for the same debtor everywhere: the fixtures’ debtors hold what they are named for', () => {
    // Nothing: the tests' aid cases, the court desk's end-to-end debtor.
    expect(
      simulatedHoldingOf({ kind: 'person', name: '被执行人', idNumber: '630104********9998' }).findings,
    ).toEqual([]);
    expect(
      simulatedHoldingOf({ kind: 'company', name: '西宁某某建材有限公司', idNumber: '91630100MA7YYYYY1Y' })
        .findings,
    ).toEqual([]);
    // Property: a deposit and a vehicle.
    const rich = simulatedHoldingOf({ kind: 'person', name: '被执行人', idNumber: '630104********0000' });
    expect(rich.from).toBeNull();
    expect(rich.findings.map((f) => [f.category, f.disposable])).toEqual([
      ['deposits', true],
      ['vehicles', true],
    ]);
    expect(simulatedHoldingOf({ kind: 'person', name: '被执行人', idNumber: '630104********0000' })).toEqual(
      rich,
    );
  });

  it('covers what it is asked, finds property only from when it appears, and obeys a registration', async () => {
    const search = simulatedPropertySearch();
    const later = { kind: 'person' as const, name: '被执行人', idNumber: '630104********9994' };
    const { from, findings } = search.holdingOf(later);
    expect(from).not.toBeNull();
    const before = await search.search(later, ['deposits', 'vehicles'], new Date(from!.getTime() - 1));
    expect(before).toEqual({ covered: ['deposits', 'vehicles'], findings: [] });
    const after = await search.search(later, ['deposits'], from!);
    expect(after.findings).toEqual(findings.filter((f) => f.category === 'deposits'));
    search.register(later, { findings: [], from: null });
    expect((await search.search(later, ['deposits'], from!)).findings).toEqual([]);
  });
});
