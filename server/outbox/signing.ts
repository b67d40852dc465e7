/**
 * How an outbox delivery is signed (ADR 019), pure and dependency-free so a receiver can copy it:
 * `LastMile-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp is inside the signed text, so a captured delivery cannot be replayed later than
 * the receiver's tolerance; the event id (`LastMile-Event-Id`, also in the body) de-duplicates
 * retries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'LastMile-Signature';
export const EVENT_ID_HEADER = 'LastMile-Event-Id';
export const TOPIC_HEADER = 'LastMile-Event-Topic';

export function signBody(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** The receiver's check: the signature matches and its timestamp is within `toleranceSec` of now. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  now: Date,
  toleranceSec = 300,
): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  const fresh = Math.abs(now.getTime() / 1000 - Number(m[1])) <= toleranceSec;
  return fresh && timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}
