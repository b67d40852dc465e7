/**
 * The ways a message leaves the site (ADR 025): e-mail over SMTP (nodemailer), SMS through a
 * provider's HTTP API, and, where neither is configured (a laptop, `npm start`), the log. A
 * transport throws when the message was not accepted; the delivery job then retries it.
 */
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.js';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Stable per delivery (`<delivery-id@host>`): a receiver can drop a copy sent again after a crash. */
  messageId: string;
}

export interface OutgoingSms {
  to: string;
  text: string;
  /** Stable per delivery: the provider answers a repeat with the first message's id. */
  reference: string;
}

export interface Sent {
  transport: 'smtp' | 'http' | 'log';
  providerId: string | null;
}

export interface Mailer {
  send(message: OutgoingEmail): Promise<Sent>;
}

export interface SmsProvider {
  send(message: OutgoingSms): Promise<Sent>;
}

/** SMTP through nodemailer, e.g. `smtps://user:pass@smtp.example.cn:465` or `smtp://127.0.0.1:2525`. */
export function smtpMailer(url: string, from: string): Mailer & { close(): void } {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  const transporter = nodemailer.createTransport({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username
      ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
      : undefined,
    // A stuck server must not hold the job's row lock for long (server/jobs/runner.ts).
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(m) {
      const info = await transporter.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        messageId: m.messageId,
      });
      return { transport: 'smtp', providerId: info.messageId ?? m.messageId };
    },
    close: () => transporter.close(),
  };
}

/**
 * An SMS provider's HTTP API, in the shape most Chinese gateways take (a JSON POST, a bearer
 * key): `POST <url>` with `{ to, text, reference }` and `Idempotency-Key: <reference>`,
 * answered 2xx with `{ id }`. Anything else (a refusal, a 5xx, a timeout) throws.
 */
export function httpSmsProvider(
  url: string,
  token: string | undefined,
  fetchImpl: typeof fetch = fetch,
): SmsProvider {
  return {
    async send(m) {
      const res = await fetchImpl(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': m.reference,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ to: m.to, text: m.text, reference: m.reference }),
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) throw new Error(`SMS provider answered ${res.status}`);
      const body = (await res.json().catch(() => ({}))) as { id?: unknown };
      return { transport: 'http', providerId: typeof body.id === 'string' ? body.id : null };
    },
  };
}

/** An address in a log line: enough to tell whose, not the whole of it. */
const masked = (address: string) => `${address.slice(0, 3)}***${address.slice(-2)}`;

/** Nothing configured: the message is written to the log, and counts as sent (never fails). */
export function logTransports(logger: Logger): { mailer: Mailer; sms: SmsProvider } {
  const log = logger.child({ component: 'notifications' });
  return {
    mailer: {
      async send(m) {
        log.info(
          { channel: 'email', to: masked(m.to), subject: m.subject, text: m.text },
          'e-mail (no SMTP_URL: logged)',
        );
        return { transport: 'log', providerId: m.messageId };
      },
    },
    sms: {
      async send(m) {
        log.info({ channel: 'sms', to: masked(m.to), text: m.text }, 'SMS (no SMS_PROVIDER_URL: logged)');
        return { transport: 'log', providerId: m.reference };
      },
    },
  };
}
