/**
 * The State Council's yearly arrangement of public holidays (国务院办公厅关于…部分节假日安排的通知):
 * the days off (public holidays and the weekdays moved into them) and the make-up working days
 * (调休: a Saturday or Sunday that is worked). Statutory periods counted in working days
 * (dishonest-debtor corrections and deletions within 3 working days, aid decisions within 10)
 * follow it. Data, not a rule: a year is added when its notice is published (usually in
 * November of the year before); until then `workCalendar` says the year is unknown and the
 * count falls back to Monday-Friday, which the caller may show as provisional.
 */
export interface YearArrangement {
  /** The notice it comes from. */
  source: string;
  /** The holiday periods' days off, weekends inside them included, `YYYY-MM-DD`. */
  off: readonly string[];
  /** Saturdays and Sundays that are working days (调休). */
  work: readonly string[];
}

/** Inclusive ranges of days, written as the notices write them. */
function days(...ranges: Array<[string, string?]>): string[] {
  const out: string[] = [];
  for (const [from, to = from] of ranges) {
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
      out.push(new Date(t).toISOString().slice(0, 10));
    }
  }
  return out;
}

export const CN_WORK_CALENDAR: Readonly<Record<number, YearArrangement>> = {
  2022: {
    source: '国办发明电〔2021〕11号',
    off: days(
      ['2022-01-01', '2022-01-03'],
      ['2022-01-31', '2022-02-06'],
      ['2022-04-03', '2022-04-05'],
      ['2022-04-30', '2022-05-04'],
      ['2022-06-03', '2022-06-05'],
      ['2022-09-10', '2022-09-12'],
      ['2022-10-01', '2022-10-07'],
    ),
    work: ['2022-01-29', '2022-01-30', '2022-04-02', '2022-04-24', '2022-05-07', '2022-10-08', '2022-10-09'],
  },
  2023: {
    source: '国办发明电〔2022〕16号',
    off: days(
      ['2023-01-01', '2023-01-02'],
      ['2023-01-21', '2023-01-27'],
      ['2023-04-05'],
      ['2023-04-29', '2023-05-03'],
      ['2023-06-22', '2023-06-24'],
      ['2023-09-29', '2023-10-06'],
    ),
    work: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'],
  },
  2024: {
    source: '国办发明电〔2023〕7号',
    off: days(
      ['2024-01-01'],
      ['2024-02-10', '2024-02-17'],
      ['2024-04-04', '2024-04-06'],
      ['2024-05-01', '2024-05-05'],
      ['2024-06-10'],
      ['2024-09-15', '2024-09-17'],
      ['2024-10-01', '2024-10-07'],
    ),
    work: [
      '2024-02-04',
      '2024-02-18',
      '2024-04-07',
      '2024-04-28',
      '2024-05-11',
      '2024-09-14',
      '2024-09-29',
      '2024-10-12',
    ],
  },
  2025: {
    // The first year under the 2024 amendment of the holiday regulation (除夕 and 2 May added).
    source: '国办发明电〔2024〕12号',
    off: days(
      ['2025-01-01'],
      ['2025-01-28', '2025-02-04'],
      ['2025-04-04', '2025-04-06'],
      ['2025-05-01', '2025-05-05'],
      ['2025-05-31', '2025-06-02'],
      ['2025-10-01', '2025-10-08'],
    ),
    work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    source: '国务院办公厅关于2026年部分节假日安排的通知',
    off: days(
      ['2026-01-01', '2026-01-03'],
      ['2026-02-15', '2026-02-23'],
      ['2026-04-04', '2026-04-06'],
      ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'],
      ['2026-09-25', '2026-09-27'],
      ['2026-10-01', '2026-10-07'],
    ),
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};
