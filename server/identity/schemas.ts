import { z } from 'zod';
import { isValidCreditCode } from './credit-code.js';
import { isValidNationalId } from './national-id.js';
import { STAFF_ROLES_BY_ORG_KIND } from './permissions.js';

/**
 * Input schemas shared by the forms, the JSON API and the services. Messages are i18n keys
 * from the `validation.*` namespace of the message catalogs.
 */
export const EmailSchema = z
  .string({ error: 'validation.required' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'validation.email' }).max(254, { error: 'validation.tooLong' }));

export const PasswordSchema = z
  .string({ error: 'validation.required' })
  .min(10, { error: 'validation.passwordTooShort' })
  .max(128, { error: 'validation.tooLong' })
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), { error: 'validation.passwordWeak' });

export const RealNameSchema = z
  .string({ error: 'validation.required' })
  .trim()
  .min(2, { error: 'validation.realName' })
  .max(50, { error: 'validation.tooLong' });

export const PhoneSchema = z
  .string({ error: 'validation.required' })
  .trim()
  .regex(/^1[3-9]\d{9}$/, { error: 'validation.phone' });

export const NationalIdSchema = z
  .string({ error: 'validation.required' })
  .trim()
  .toUpperCase()
  .refine(isValidNationalId, { error: 'validation.nationalId' });

/** An organisation's unified social credit code (GB 32100-2015), its check character included. */
export const CreditCodeSchema = z
  .string({ error: 'validation.required' })
  .trim()
  .toUpperCase()
  .refine(isValidCreditCode, { error: 'validation.creditCode' });

export const SignupSchema = z.object({
  email: EmailSchema,
  password: PasswordSchema,
  realName: RealNameSchema,
  nationalId: NationalIdSchema,
  phone: PhoneSchema,
});
export type SignupInput = z.infer<typeof SignupSchema>;

/** A mainland mobile number as people type it: spaces, dashes and a +86 / 0086 prefix dropped. */
export const normalisePhone = (v: string) => v.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
const PHONE_RE = /^1[3-9]\d{9}$/;

/**
 * What a person signs in with (ADR 028): his e-mail or his mobile number, in one field. The form
 * posts it as `email` (the field's name since the start) or `login`.
 */
export const LoginIdentifierSchema = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .max(254, { error: 'validation.tooLong' })
  .transform((v, ctx) => {
    const phone = normalisePhone(v);
    if (PHONE_RE.test(phone)) return { kind: 'phone' as const, value: phone };
    const email = EmailSchema.safeParse(v);
    if (email.success) return { kind: 'email' as const, value: email.data };
    ctx.addIssue({ code: 'custom', message: 'validation.login' });
    return z.NEVER;
  });
export type LoginIdentifier = z.infer<typeof LoginIdentifierSchema>;

export const LoginSchema = z.preprocess(
  (v) => (v && typeof v === 'object' && 'login' in v ? { ...v, email: (v as { login: unknown }).login } : v),
  z.object({
    email: LoginIdentifierSchema,
    password: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(128),
  }),
);
export type LoginInput = z.input<typeof LoginSchema>;

/** Every staff role: those an organisation of some kind may give (permissions.ts, the one list). */
const STAFF_ROLES = [...new Set(Object.values(STAFF_ROLES_BY_ORG_KIND).flat())];
export const StaffRoleSchema = z.enum(STAFF_ROLES, { error: 'validation.role' });

export const CreateStaffSchema = z.object({
  email: EmailSchema,
  password: PasswordSchema,
  realName: RealNameSchema,
  phone: PhoneSchema.optional(),
  organisationId: z.uuid({ error: 'validation.required' }),
  roles: z.array(StaffRoleSchema, { error: 'validation.role' }).min(1, { error: 'validation.role' }),
});
export type CreateStaffInput = z.infer<typeof CreateStaffSchema>;

/** What an API token may do (ADR 023): `read` the court API's GETs, `write` everything else. */
export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
/** The lifetimes the token page offers, in days; none: until revoked. */
export const TOKEN_LIFETIMES = [30, 90, 180, 365] as const;
