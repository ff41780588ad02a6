import * as z from 'zod';
import { EMAIL_PATTERN, LIMITS } from './browser.js';
import { CurrencyCode, IsoDateTime, MinorUnits, multiLine, singleLine, Slug } from './common.js';
import { hasBidiControl, stripIgnorable } from './names.js';

const required = (s: z.ZodString) => s.min(1, { error: 'Required' });

/**
 * A first or last name (issue 15 item 6): text-direction controls are refused, since they make
 * a name read otherwise than typed; invisible code points are removed, so the stored name is
 * the one people see; and a name of nothing but invisible ones is refused.
 */
const PersonName = required(singleLine(LIMITS.name))
  .refine((value) => !hasBidiControl(value), { error: 'Must not contain text-direction controls' })
  .transform((value) => stripIgnorable(value).trim())
  .pipe(z.string().min(1, { error: 'Must contain visible characters' }));

/** The hosts an `http:` receipt link may name (a developer's machine). */
export const isLocalHost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/** Where a receipt lives: `https:`, or `http:` only on a local host (SPEC §2). */
export const PaymentProofUrl = z
  .string()
  .trim()
  .max(LIMITS.paymentProofUrl, { error: `Must be at most ${LIMITS.paymentProofUrl} characters` })
  .regex(/^[^\p{Cc}]*$/u, { error: 'Must not contain control characters' })
  .pipe(z.url({ error: 'Must be a URL' }))
  .refine(
    (value) => {
      // Zod runs this refinement even when z.url() has refused the value; `new URL` would throw.
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url.hostname));
    },
    { error: 'Must be an https: URL' },
  );

export const Email = z
  .string()
  .trim()
  .max(LIMITS.email, { error: `Must be at most ${LIMITS.email} characters` })
  .pipe(z.email({ pattern: EMAIL_PATTERN, error: 'Must be a valid e-mail address' }));

/** One custom-field value; its fit to the field's type is checked against the config. */
export const CustomFieldValue = z.union([
  multiLine(LIMITS.customFieldText),
  z.number(),
  z.boolean(),
  z.array(singleLine(128)).max(LIMITS.multiselectValues),
]);
export type CustomFieldValue = z.infer<typeof CustomFieldValue>;

/** A region code as seed 004 uses it (`nz`, `au`). */
export const Region = z.string().regex(/^[A-Za-z]{2,8}$/, { error: 'Must be a region code such as nz' });

/** `POST /registrations/registrations` body: strict, unknown keys are refused. */
export const CreateRegistration = z.strictObject({
  firstName: PersonName,
  lastName: PersonName,
  email: Email,
  ticketTypeId: Slug,
  paymentMethodId: Slug.optional(),
  paymentReference: singleLine(LIMITS.paymentReference).optional(),
  paymentProofUrl: PaymentProofUrl.optional(),
  customFields: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'Unknown field' })
        .max(LIMITS.customFieldKey),
      CustomFieldValue,
    )
    .optional(),
  /** Seed 004's `region` query parameter, kept with the registration. */
  region: Region.optional(),
});
export type CreateRegistration = z.infer<typeof CreateRegistration>;
/** The body before parsing (what a client sends). */
export type CreateRegistrationInput = z.input<typeof CreateRegistration>;

export const RegistrationStatus = z.enum(['pending_payment', 'confirmed']);
export type RegistrationStatus = z.infer<typeof RegistrationStatus>;

export const ChargedPrice = z.object({ amount: MinorUnits, currency: CurrencyCode, phaseId: z.string() });

/** A stored registration: the input plus what the backend decided (SPEC §2). A tolerant reader, as `Config` is. */
export const Registration = z.object({
  id: z.string(),
  reference: z.string(),
  status: RegistrationStatus,
  conferenceId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  ticketTypeId: z.string(),
  ticketTypeName: z.string(),
  paymentMethodId: z.string().optional(),
  paymentReference: z.string().optional(),
  paymentProofUrl: z.string().optional(),
  customFields: z.record(z.string(), CustomFieldValue),
  region: z.string().optional(),
  price: ChargedPrice,
  createdAt: IsoDateTime,
});
export type Registration = z.infer<typeof Registration>;

export const RegistrationResponse = z.object({ data: Registration });
export type RegistrationResponse = z.infer<typeof RegistrationResponse>;

export const RegistrationList = z.object({
  data: z.array(Registration),
  next_cursor: z.string().nullable(),
});
export type RegistrationList = z.infer<typeof RegistrationList>;

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const IdempotencyKey = z
  .string()
  .min(1)
  .max(LIMITS.idempotencyKey, { error: `Must be at most ${LIMITS.idempotencyKey} characters` })
  .regex(/^[\x21-\x7e]+$/, { error: 'Must be printable ASCII without spaces' });
