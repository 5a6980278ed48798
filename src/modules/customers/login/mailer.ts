import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Log } from '../../../platform/context.js';
import type { Database } from '../../../platform/db.js';
import { uuidv7 } from '../../../platform/ids.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends customer e-mail. Called outside any transaction; a failure is the caller's to log, never the customer's to see. */
export interface Mailer {
  send(tenantId: string, mail: Mail): Promise<void>;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  pass?: string | undefined;
  from: string;
}

/** Through an SMTP server, by nodemailer (the maintained SMTP client for Node; no native parts, no install scripts). */
export function smtpMailer(s: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    ...(s.user ? { auth: { user: s.user, pass: s.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(_tenantId, mail) {
      await transport.sendMail({ from: s.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

/**
 * With no SMTP server configured: the message is kept in mail_outbox and logged, so a developer can log in
 * locally (the log line carries the code; never configure this in production).
 */
export function outboxMailer(database: Database, log: Log): Mailer {
  return {
    async send(tenantId, mail) {
      await database.transaction(tenantId, (db) =>
        db.execute(sql`INSERT INTO mail_outbox (tenant_id, id, recipient, subject, body) VALUES (${tenantId}, ${uuidv7()}, ${mail.to}, ${mail.subject}, ${mail.text})`),
      );
      log.info({ to: mail.to, subject: mail.subject, body: mail.text }, 'no SMTP server configured (POS_SMTP_HOST): e-mail kept in mail_outbox');
    },
  };
}
