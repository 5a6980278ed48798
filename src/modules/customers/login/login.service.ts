import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Log } from '../../../platform/context.js';
import type { Database } from '../../../platform/db.js';
import { AppError, CommonErrors } from '../../../platform/errors.js';
import { isUuid, uuidv7 } from '../../../platform/ids.js';
import type { RateLimiter } from '../../../platform/rate-limit.js';
import { parseInput } from '../../../platform/validation.js';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../platform/db.js';
import type { Customer } from '../customer.model.js';
import { customerRepository } from '../customer.repository.js';
import { CustomerErrors } from '../customers.errors.js';
import { loginRepository } from './login.repository.js';
import type { Mailer } from './mailer.js';
import type { SigningKeys } from './signing-keys.js';

export interface LoginSettings {
  linkTtlMinutes: number;
  otpTtlMinutes: number;
  otpMaxAttempts: number;
  tokenTtlMinutes: number;
  perAddress: number;
  perIp: number;
  loginUrl: string;
}

const tenantField = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').describe('The merchant: its id or slug');
const emailField = z.string().trim().max(254, 'must be at most 254 characters').email('must be an e-mail address').transform((s) => s.toLowerCase());
export const requestLoginInput = z.strictObject({ tenant: tenantField, email: emailField });
export const verifyLinkInput = z.strictObject({ tenant: tenantField, token: z.string().min(10, 'is not a login token').max(200, 'is not a login token') });
export const verifyOtpInput = z.strictObject({ tenant: tenantField, email: emailField, otp: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') });

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  customer: Customer;
}

const WINDOW_MS = 15 * 60_000;
const digest = (s: string) => createHash('sha256').update(s).digest('hex');
/** An OTP's digest is salted with its row id: the same six digits sent twice do not collide. */
const otpDigest = (id: string, otp: string) => digest(`${id}:${otp}`);
const sameDigest = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Passwordless customer login (seed 002): a magic link or a 6-digit code by e-mail, each single use, short-lived,
 * stored as a digest; rate limited per address and per IP; a request answers the same whether or not the
 * address belongs to a customer (only a customer's address is sent anything). A verified login gets a Kasir
 * customer token (Ed25519 JWT, tenant_id and customer_id claims).
 */
export class CustomerLoginService {
  constructor(
    private readonly deps: { database: Database; limiter: RateLimiter; mailer: Mailer; keys: SigningKeys; log: Log; settings: LoginSettings },
  ) {}

  private async limit(key: string, max: number): Promise<void> {
    const d = await this.deps.limiter.hit(key, max, WINDOW_MS);
    if (!d.allowed) {
      const retry = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
      throw new AppError(CommonErrors.RATE_LIMITED, { scope: 'customer_login', retry_after_seconds: retry }, `Too many login attempts; retry in ${retry} s`);
    }
  }

  /** The tenant named by id or slug, if active; undefined otherwise (the caller answers as if it existed). */
  private async tenantOf(ref: string): Promise<string | undefined> {
    const rows = await this.deps.database.transaction(null, async (db) =>
      rowsOf<{ id: string }>(await db.execute(isUuid(ref) ? sql`SELECT id FROM tenants WHERE id = ${ref.toLowerCase()} AND status = 'active'` : sql`SELECT id FROM tenants WHERE slug = ${ref} AND status = 'active'`)),
    );
    return rows[0]?.id;
  }

  /** Sends a magic link (kind link) or a one-time code (otp) if the address is a customer's. Always answers alike. */
  async request(kind: 'link' | 'otp', input: unknown, ip: string): Promise<void> {
    const i = parseInput(requestLoginInput, input);
    await this.limit(`customer-login:ip:${ip}`, this.deps.settings.perIp);
    await this.limit(`customer-login:address:${i.tenant.toLowerCase()}:${i.email}`, this.deps.settings.perAddress);
    const tenantId = await this.tenantOf(i.tenant);
    if (!tenantId) return;
    const s = this.deps.settings;
    const mail = await this.deps.database.transaction(tenantId, async (db) => {
      const tx = { db, tenantId };
      const customer = await customerRepository.byEmail(tx, i.email);
      if (!customer) return undefined;
      const id = uuidv7();
      if (kind === 'link') {
        const token = randomBytes(32).toString('base64url');
        await loginRepository.insert(tx, { id, email: i.email, kind, secretHash: digest(token), ttlMinutes: s.linkTtlMinutes });
        const url = `${s.loginUrl}${s.loginUrl.includes('?') ? '&' : '?'}tenant=${tenantId}&token=${token}`;
        return { to: i.email, subject: 'Your login link', text: `Hello ${customer.name},\n\nOpen this link to log in (valid ${s.linkTtlMinutes} minutes, once):\n${url}\n\nIf you did not ask for it, ignore this e-mail.\n` };
      }
      const otp = randomInt(0, 1_000_000).toString().padStart(6, '0');
      await loginRepository.insert(tx, { id, email: i.email, kind, secretHash: otpDigest(id, otp), ttlMinutes: s.otpTtlMinutes });
      return { to: i.email, subject: `Your login code: ${otp}`, text: `Hello ${customer.name},\n\nYour login code is ${otp}\nIt is valid for ${s.otpTtlMinutes} minutes, once.\n\nIf you did not ask for it, ignore this e-mail.\n` };
    });
    if (!mail) return;
    // After commit, outside any transaction; a mail server that fails is logged, not shown (no hint either way).
    await this.deps.mailer.send(tenantId, mail).catch((e: Error) => this.deps.log.error({ err: e.message, tenant_id: tenantId }, 'cannot send the customer login e-mail'));
  }

  async verifyLink(input: unknown, ip: string): Promise<IssuedToken> {
    const i = parseInput(verifyLinkInput, input);
    await this.limit(`customer-login:ip:${ip}`, this.deps.settings.perIp);
    const tenantId = await this.tenantOf(i.tenant);
    if (!tenantId) throw new AppError(CustomerErrors.CUSTOMER_LOGIN_INVALID);
    const customer = await this.deps.database.transaction(tenantId, async (db) => {
      const email = await loginRepository.useLink({ db, tenantId }, digest(i.token));
      return email ? customerRepository.byEmail({ db, tenantId }, email) : undefined;
    });
    if (!customer) throw new AppError(CustomerErrors.CUSTOMER_LOGIN_INVALID);
    return this.issue(tenantId, customer);
  }

  async verifyOtp(input: unknown, ip: string): Promise<IssuedToken> {
    const i = parseInput(verifyOtpInput, input);
    await this.limit(`customer-login:ip:${ip}`, this.deps.settings.perIp);
    const tenantId = await this.tenantOf(i.tenant);
    if (!tenantId) throw new AppError(CustomerErrors.CUSTOMER_LOGIN_INVALID);
    const max = this.deps.settings.otpMaxAttempts;
    // The outcome is returned, not thrown, so that a wrong guess's count commits.
    const outcome = await this.deps.database.transaction(tenantId, async (db) => {
      const tx = { db, tenantId };
      const code = await loginRepository.latestOtp(tx, i.email);
      if (!code) return { status: 'invalid' as const };
      if (code.attempts >= max) return { status: 'locked' as const };
      if (!sameDigest(code.secretHash, otpDigest(code.id, i.otp))) {
        await loginRepository.countAttempt(tx, code.id);
        return { status: code.attempts + 1 >= max ? ('locked' as const) : ('invalid' as const) };
      }
      if (!(await loginRepository.useOtp(tx, code.id))) return { status: 'invalid' as const };
      const customer = await customerRepository.byEmail(tx, i.email);
      return customer ? { status: 'ok' as const, customer } : { status: 'invalid' as const };
    });
    if (outcome.status === 'locked') throw new AppError(CustomerErrors.CUSTOMER_LOGIN_LOCKED);
    if (outcome.status === 'invalid') throw new AppError(CustomerErrors.CUSTOMER_LOGIN_INVALID);
    return this.issue(tenantId, outcome.customer!);
  }

  private async issue(tenantId: string, customer: Customer): Promise<IssuedToken> {
    const ttl = this.deps.settings.tokenTtlMinutes * 60;
    const accessToken = await this.deps.keys.sign({ tenant_id: tenantId, customer_id: customer.id, scope: 'customer' }, customer.id, ttl);
    return { accessToken, expiresIn: ttl, customer };
  }

  /** The customer a token names, while it exists and is not archived. */
  async me(tenantId: string, customerId: string): Promise<Customer> {
    const c = await this.deps.database.transaction(tenantId, (db) => customerRepository.byId({ db, tenantId }, customerId));
    if (!c || c.archivedAt) throw new AppError(CustomerErrors.CUSTOMER_TOKEN_INVALID, undefined, 'The customer of this token no longer exists');
    return c;
  }
}
