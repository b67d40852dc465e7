/**
 * Amounts typed in yuan by a bidder ("1,618,000" or "1618000.50") → integer fen as a decimal
 * string; null when it is not an amount (more than two decimals, letters, empty). Integer
 * arithmetic only, like server/cases/schemas.ts `YuanSchema`, which the action uses.
 */
export function yuanToFen(input: string): string | null {
  const s = input
    .trim()
    .replace(/[,，\s]/g, '')
    .replace(/^[¥￥]/, '');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return (BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'))).toString();
}

/** A fresh idempotency key for one bid (engine: /^[\w-]{8,64}$/). Works outside secure contexts too. */
export function newClientKey(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A duration of the rules profile as i18n options: whole minutes when it is, else seconds. */
export function durationParts(ms: number): { key: 'live.minutes' | 'live.seconds'; count: number } {
  if (ms >= 60_000 && ms % 60_000 === 0) return { key: 'live.minutes', count: ms / 60_000 };
  return { key: 'live.seconds', count: Math.round(ms / 100) / 10 };
}
