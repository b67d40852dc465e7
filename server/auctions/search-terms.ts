/**
 * A visitor's keywords as a text-search query over the listings' documents (ADR 020). The
 * document (search_tokens in the search_index migration) holds every CJK bigram of a text in
 * order, then every single character, and Latin words and numbers whole. A query splits the
 * same way: one character looks for that character, two or more for their bigrams side by
 * side (住宅 → '住宅'; 西宁市 → '西宁' <-> '宁市'), a Latin word or a number for itself.
 * Words separated by spaces must all be found, in any field.
 */

const FULL_WIDTH = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g;
const RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\u{20000}-\u{3134f}]+|[a-z0-9]+/gu;
const LATIN = /^[a-z0-9]/;

/** The runs of a text the way search_tokens() reads them: full-width folded, lower-cased. */
export function searchRuns(text: string): string[] {
  const folded = text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).toLowerCase();
  return folded.match(RUNS) ?? [];
}

function runQuery(run: string, weight: string): string {
  if (LATIN.test(run)) return `${run}${weight}`;
  const chars = [...run];
  if (chars.length === 1) return `${run}${weight}`;
  const bigrams = chars.slice(0, -1).map((c, i) => `${c}${chars[i + 1]}${weight}`);
  return bigrams.length === 1 ? bigrams[0]! : `(${bigrams.join(' <-> ')})`;
}

export interface SearchTerms {
  /** Every word anywhere in the document. */
  any: string;
  /** Every word in the title (weight A): the first rank. */
  title: string;
}

/**
 * The tsquery texts (for to_tsquery('simple', …)) of `q`, or null when it has nothing to look
 * for (only punctuation): then the keywords are no filter. Tokens hold only CJK characters,
 * a-z and 0-9, so they need no quoting.
 */
export function searchTerms(q: string | undefined): SearchTerms | null {
  const runs = searchRuns(q ?? '');
  if (runs.length === 0) return null;
  const unique = [...new Set(runs)];
  return {
    any: unique.map((r) => runQuery(r, '')).join(' & '),
    title: unique.map((r) => runQuery(r, ':A')).join(' & '),
  };
}
