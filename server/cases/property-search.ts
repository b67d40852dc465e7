/**
 * Online property search (网络执行查控): the court asks the banks, the vehicle and real-estate
 * registers, the securities depository and the rest about a debtor, and records what each query
 * covered and what it found (终本规定 art. 3(2)). A real connection to the SPC's 总对总/点对点
 * network replaces `simulatedPropertySearch` behind `PropertySearchProvider`.
 */
import { createHash } from 'node:crypto';
import type { PropertyCategory } from './schemas.js';

/** Who is searched for: a debtor of the case, by name and identity number (or credit code). */
export interface SearchSubject {
  kind: 'person' | 'company';
  name: string;
  idNumber: string | null;
}

export interface PropertyFinding {
  category: PropertyCategory;
  /** The bank, register or institution that answered. */
  holder: string;
  description: string;
  /** Its value in fen, as a decimal string (the answer is stored as JSON); null when unknown. */
  valueFen: string | null;
  /** Whether it can be seized and disposed of (a frozen account of a few yuan cannot). */
  disposable: boolean;
}

export interface SearchAnswer {
  /** The categories the network actually reached for this subject. */
  covered: PropertyCategory[];
  findings: PropertyFinding[];
}

export interface PropertySearchProvider {
  /** Named in every recorded search, so a record says which network answered. */
  readonly name: string;
  search(subject: SearchSubject, categories: readonly PropertyCategory[], at: Date): Promise<SearchAnswer>;
}

/** A subject's property as the simulated registers hold it, from a date on (property can appear later). */
export interface SimulatedHolding {
  findings: PropertyFinding[];
  /** Found only by searches at or after this instant; null: always. */
  from: Date | null;
}

export interface SimulatedPropertySearch extends PropertySearchProvider {
  /** Overrides the deterministic answer for one subject (tests: a debtor whose property appears later). */
  register(subject: SearchSubject, holding: SimulatedHolding): void;
  /** What the simulated registers hold for a subject (the deterministic rule, or what was registered). */
  holdingOf(subject: SearchSubject): SimulatedHolding;
}

const keyOf = (s: SearchSubject) => `${s.kind}|${s.name.trim()}|${(s.idNumber ?? '').trim()}`;

/**
 * The deterministic rule of the simulated registers, by a digest of the subject's identity: about
 * 30% of debtors hold property (a deposit, sometimes a vehicle), about 8% more come into property
 * on a date between 2020 and 2030, the rest hold nothing. The same debtor gets the same answer on
 * every machine, so tests and the demo can name a debtor with or without property.
 */
export function simulatedHoldingOf(subject: SearchSubject): SimulatedHolding {
  const b = createHash('sha256').update(keyOf(subject)).digest();
  const band = b[0]!;
  if (band >= 97) return { findings: [], from: null };
  const deposit = BigInt(1_000 + ((b[3]! << 8) | b[4]!) * 7) * 100n;
  const findings: PropertyFinding[] = [
    {
      category: 'deposits',
      holder: ['中国工商银行', '中国农业银行', '中国建设银行', '青海银行'][b[5]! % 4]!,
      description: `活期存款账户尾号 ${String(((b[6]! << 8) | b[7]!) % 10_000).padStart(4, '0')}`,
      valueFen: deposit.toString(),
      disposable: true,
    },
  ];
  if (b[8]! < 100)
    findings.push({
      category: 'vehicles',
      holder: '公安机关交通管理部门',
      description: `小型汽车 青A${String(((b[9]! << 8) | b[10]!) % 100_000).padStart(5, '0')}`,
      valueFen: (BigInt(30_000 + (b[11]! % 90) * 1_000) * 100n).toString(),
      disposable: true,
    });
  const from =
    band < 77 ? null : new Date(Date.UTC(2020, 0, 1) + (((b[1]! << 8) | b[2]!) % 3_650) * 86_400_000);
  return { findings, from };
}

/** The simulated responder: answers at once, covers what it is asked, finds what the rule (or a registration) holds. */
export function simulatedPropertySearch(): SimulatedPropertySearch {
  const registered = new Map<string, SimulatedHolding>();
  const holdingOf = (subject: SearchSubject) => registered.get(keyOf(subject)) ?? simulatedHoldingOf(subject);
  return {
    name: 'simulated',
    register(subject, holding) {
      registered.set(keyOf(subject), holding);
    },
    holdingOf,
    async search(subject, categories, at) {
      const holding = holdingOf(subject);
      const present = holding.from === null || holding.from.getTime() <= at.getTime();
      return {
        covered: [...categories],
        findings: present ? holding.findings.filter((f) => categories.includes(f.category)) : [],
      };
    },
  };
}
