import { z } from 'zod';

/**
 * The only place that reads process.env. Parsed once at boot; a missing or malformed
 * variable stops the boot with a message naming it (see `loadConfig`).
 * Every variable is listed in .env.example.
 */
const DEV_SESSION_SECRET = 'dev-only-session-secret-change-me-0123456789';
const DEV_PII_KEY = 'ZGV2LW9ubHktcGlpLWtleS1jaGFuZ2UtbWUtMzJieXQ='; // base64 of a 32-byte dev key

const bool = z.stringbool({ truthy: ['true', '1', 'yes'], falsy: ['false', '0', 'no', ''] });

const UNITS = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;
/** A size in bytes, written `65536`, `512kb` or `25mb` (binary units, as Express writes them). */
const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb)?$/i, 'a size such as 1048576, 512kb or 25mb')
  .transform((v) => {
    const [, n, unit] = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(v)!;
    return Math.floor(Number(n) * UNITS[(unit?.toLowerCase() ?? 'b') as keyof typeof UNITS]);
  })
  .pipe(
    z
      .number()
      .int()
      .min(1024, 'at least 1kb')
      .max(1024 * 1024 * 1024, 'at most 1024mb'),
  );

export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    EMBEDDED_PG_DIR: z.string().min(1).default('.data/pg'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
    /** Durable jobs run at once by this process, each holding a pooled connection (keep below the pool). */
    JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    /** Auction starts and ends are claimed this long before they fall due, and run at their time (runner.ts). */
    JOB_URGENT_LEAD_MS: z.coerce.number().int().min(0).max(1000).default(200),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** The Socket.IO adapter's stream and channel names in Redis: one per deployment sharing a Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[\w:.-]{1,64}$/, 'letters, digits, _ : . - (at most 64)')
      .optional(),
    /**
     * The site's origin as browsers see it (`https://paimai.example.cn`, no path): the Socket.IO
     * handshake refuses pages of any other origin. Unset: the origin the request's Host names.
     */
    PUBLIC_ORIGIN: z
      .url({ protocol: /^https?$/ })
      .refine(
        (v) => new URL(v).origin === v.replace(/\/$/, ''),
        'an origin only: scheme, host and port, no path',
      )
      .transform((v) => new URL(v).origin)
      .optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SESSION_SECRET),
    SESSION_TTL_HOURS: z.coerce.number().positive().default(72),
    PII_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .default(DEV_PII_KEY),
    COOKIE_SECURE: bool.optional(),
    /**
     * How many reverse proxies stand in front of the server (0: none). The client's address is
     * the one the outermost of them saw: that many entries from the right of X-Forwarded-For
     * (Express `trust proxy` as a number). `true` is refused: it trusted the left-most entry,
     * which the client writes himself, and the per-IP login limit could be bypassed.
     */
    TRUST_PROXY: z
      .string()
      .regex(
        /^(\d|false)$/,
        'the number of reverse proxies in front of the server, 0 to 9 (0 = none); `true` would trust addresses the client invents',
      )
      .transform((v) => (v === 'false' ? 0 : Number(v)))
      .prefault('0'),
    /**
     * The most a request body may hold, checked before it is read (413 beyond): form posts
     * (Remix actions), the JSON API, webhooks, and multipart uploads (photos, judgments, bank
     * files: their own, larger limit; the storage module checks each file's own limit after).
     */
    BODY_LIMIT_FORM: byteSize.prefault('1mb'),
    BODY_LIMIT_JSON: byteSize.prefault('1mb'),
    BODY_LIMIT_WEBHOOK: byteSize.prefault('1mb'),
    BODY_LIMIT_UPLOAD: byteSize.prefault('25mb'),
    /**
     * The bearer token Prometheus presents at `/metrics` (docs/operations.md). Unset, `/metrics`
     * answers only connections from this machine that no proxy forwarded.
     */
    METRICS_TOKEN: z.string().min(16).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    RULES_PROFILE: z.enum(['statutory', 'accelerated']).default('statutory'),
    RULES_ACCELERATION_FACTOR: z.coerce.number().min(1).max(10_000_000).default(60),
    ALLOW_ACCELERATED_IN_PRODUCTION: bool.default(false),
    /**
     * The practice auction's fast clock (模拟拍卖, ADR 033), in production too: art. 20's five
     * minutes divided by PRACTICE_CLOCK_FACTOR (10: 30 s), and a window of PRACTICE_WINDOW_SECONDS
     * from the start to the announced end, which must hold at least two extensions.
     */
    PRACTICE_CLOCK_FACTOR: z.coerce.number().min(1).max(600).default(10),
    PRACTICE_WINDOW_SECONDS: z.coerce.number().int().min(10).max(3_600).default(180),
    SEED_DEMO_DATA: bool.optional(),
    /**
     * The province's four years of case history behind the quality dashboard (85,673 cases, ADR 018):
     * seeded with the demo data by default in development only (tests and e2e start without it).
     */
    SEED_PROVINCE_HISTORY: bool.optional(),
    /**
     * The rates of the announcement's tax estimate, in basis points (ADR 029, disclosure-rules.ts):
     * deed tax, VAT, VAT surcharges (of the VAT), deemed income tax, stamp duty per side.
     */
    TAX_DEED_BP: z.coerce.number().int().min(0).max(10_000).default(300),
    TAX_VAT_BP: z.coerce.number().int().min(0).max(10_000).default(500),
    TAX_VAT_SURCHARGE_BP: z.coerce.number().int().min(0).max(10_000).default(1200),
    TAX_INCOME_BP: z.coerce.number().int().min(0).max(10_000).default(100),
    TAX_STAMP_BP: z.coerce.number().int().min(0).max(10_000).default(5),
    /** The indicator definitions the law leaves open, as JSON over the defaults of ADR 018 (server/indicators/rules.ts). */
    INDICATOR_SETTINGS: z
      .string()
      .refine((v) => {
        try {
          return typeof JSON.parse(v) === 'object';
        } catch {
          return false;
        }
      }, 'must be a JSON object')
      .optional(),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    LOGIN_LOCK_MINUTES: z.coerce.number().positive().default(15),
    LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).default(50),
    /**
     * The public JSON API (/api/public/v1, ADR 026): requests a client address may make per
     * minute (the address as TRUST_PROXY's hops give it); beyond, 429 with Retry-After.
     */
    PUBLIC_API_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
    STRIPE_PUBLISHABLE_KEY: z.string().startsWith('pk_').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
    STRIPE_API_BASE: z.url().optional(),
    UPLOAD_DIR: z.string().min(1).default('.data/uploads'),
    /**
     * Outgoing e-mail (ADR 025), e.g. `smtps://user:pass@smtp.example.cn:465`. Unset: messages are
     * written to the log instead, and count as sent.
     */
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    SMTP_FROM: z.string().min(3).default('LastMile <no-reply@lastmile.local>'),
    /** The SMS provider's HTTP endpoint (server/notifications/transports.ts). Unset: the log. */
    SMS_PROVIDER_URL: z.url({ protocol: /^https?$/ }).optional(),
    SMS_PROVIDER_TOKEN: z.string().min(1).optional(),
    /**
     * Webhook receivers on private addresses (ADR 028): by default a webhook URL that resolves to
     * a loopback, private, link-local, CGNAT, multicast or metadata address is refused. `true`
     * allows every address (tests' local receivers); WEBHOOK_ALLOW_HOSTS names hosts allowed
     * whatever they resolve to (comma-separated, as written in the URL).
     */
    WEBHOOK_ALLOW_PRIVATE: bool.prefault('false'),
    WEBHOOK_ALLOW_HOSTS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      )
      .prefault(''),
    /**
     * The identity-verification provider real-name checks go to (ADR 028). `simulated`: the local
     * stand-in (server/identity/verification.ts), deterministic, for development, tests and demos.
     */
    IDENTITY_VERIFIER: z.enum(['simulated']).default('simulated'),
    /**
     * Signs the transparency log's checkpoints (Ed25519): base64 of the 32-byte private seed, or
     * of its PKCS#8 DER. Required in production; elsewhere, when unset, one is generated once and
     * kept beside the embedded database's data (server/transparency/keys.ts).
     */
    CHECKPOINT_SIGNING_KEY: z
      .string()
      .refine(
        (v) => [32, 48].includes(Buffer.from(v, 'base64').length),
        'must be an Ed25519 private key: its 32-byte seed (or PKCS#8 DER), base64-encoded',
      )
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (c.STRIPE_SECRET_KEY && !c.STRIPE_WEBHOOK_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_WEBHOOK_SECRET'],
        message: 'is required with STRIPE_SECRET_KEY: webhooks are the source of truth for payment state',
      });
    if (c.PRACTICE_WINDOW_SECONDS * c.PRACTICE_CLOCK_FACTOR < 600)
      ctx.addIssue({
        code: 'custom',
        path: ['PRACTICE_WINDOW_SECONDS'],
        message: 'must hold two practice extensions (2 × 300 s / PRACTICE_CLOCK_FACTOR)',
      });
    if (c.NODE_ENV !== 'production') return;
    if (c.SESSION_SECRET === DEV_SESSION_SECRET)
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'must be set in production' });
    if (c.PII_ENCRYPTION_KEY === DEV_PII_KEY)
      ctx.addIssue({ code: 'custom', path: ['PII_ENCRYPTION_KEY'], message: 'must be set in production' });
    // art. 8: the key is what lets anyone hold the platform to its checkpoints; a generated one
    // would change with every fresh machine.
    if (!c.CHECKPOINT_SIGNING_KEY)
      ctx.addIssue({
        code: 'custom',
        path: ['CHECKPOINT_SIGNING_KEY'],
        message: 'must be set in production',
      });
    if (c.RULES_PROFILE === 'accelerated' && !c.ALLOW_ACCELERATED_IN_PRODUCTION)
      ctx.addIssue({
        code: 'custom',
        path: ['RULES_PROFILE'],
        message: 'accelerated is refused in production unless ALLOW_ACCELERATED_IN_PRODUCTION=true',
      });
  })
  .transform((c) => ({
    ...c,
    SEED_DEMO_DATA: c.SEED_DEMO_DATA ?? c.NODE_ENV !== 'production',
    SEED_PROVINCE_HISTORY:
      c.SEED_PROVINCE_HISTORY ??
      ((c.SEED_DEMO_DATA ?? c.NODE_ENV !== 'production') && c.NODE_ENV === 'development'),
    COOKIE_SECURE: c.COOKIE_SECURE ?? c.NODE_ENV === 'production',
  }));

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings in .env files mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
