/**
 * The outside ends of notifications for tests: a real SMTP server (smtp-server) that keeps
 * what it receives, parsed by mailparser, and a fake SMS provider over HTTP that can be told to
 * refuse the next requests.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { httpSmsProvider, smtpMailer } from '../../server/notifications/transports';
import { createTestDatabase } from './db';
import { moneyWorld } from './money';

export interface ReceivedEmail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export async function startSmtpServer() {
  const received: ReceivedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on the loopback: no self-signed STARTTLS for the client to refuse.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          received.push({
            to: to?.value[0]?.address ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId ?? '',
          });
          callback();
        })
        .catch(callback);
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address: string) => received.filter((m) => m.to === address),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface SmsRequest {
  to: string;
  text: string;
  reference: string;
  idempotencyKey: string | undefined;
  answered: number;
}

export async function startFakeSmsProvider() {
  const requests: SmsRequest[] = [];
  let refuseNext = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const parsed = JSON.parse(body) as { to: string; text: string; reference: string };
      const refused = refuseNext > 0;
      if (refused) refuseNext -= 1;
      const answered = refused ? 503 : 200;
      requests.push({
        ...parsed,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        answered,
      });
      res.writeHead(answered, { 'content-type': 'application/json' });
      res.end(JSON.stringify(refused ? { error: 'unavailable' } : { id: `sms-${requests.length}` }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/messages`,
    requests,
    /** The provider answers 503 to the next `n` messages. */
    refuse(n: number) {
      refuseNext = n;
    },
    delivered: (to: string) => requests.filter((r) => r.to === to && r.answered === 200),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A test database and a money world whose notifications go out for real: e-mail over a real
 * SMTP server started here, SMS to the fake provider. `close` stops all of it.
 */
export async function outboundWorld() {
  const db = await createTestDatabase();
  const smtp = await startSmtpServer();
  const sms = await startFakeSmsProvider();
  const mailer = smtpMailer(smtp.url, 'LastMile <no-reply@lastmile.test>');
  const w = await moneyWorld(db, {
    notificationTransports: { mailer, sms: httpSmsProvider(sms.url, 'test-key') },
  });
  return {
    db,
    w,
    smtp,
    sms,
    async close() {
      mailer.close();
      await smtp.close();
      await sms.close();
      await db.drop();
    },
  };
}
