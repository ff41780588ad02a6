import * as z from 'zod';
import { CurrencyCode, IsoDate, IsoDateTime, MinorUnits } from './common.js';
import { ConfigField } from './fields.js';

export const Price = z.object({ amount: MinorUnits, currency: CurrencyCode });
export type Price = z.infer<typeof Price>;

export const PaymentMethodKind = z.enum(['bank_transfer', 'card', 'cash', 'invoice', 'other']);
export type PaymentMethodKind = z.infer<typeof PaymentMethodKind>;

export const ConfigConference = z.object({
  id: z.string(),
  name: z.string(),
  starts_on: IsoDate,
  ends_on: IsoDate,
  timezone: z.string(),
  currency: CurrencyCode,
});

export const ConfigPhase = z.object({
  id: z.string(),
  name: z.string(),
  starts_at: IsoDateTime,
  ends_at: IsoDateTime,
});
export type ConfigPhase = z.infer<typeof ConfigPhase>;

export const ConfigTicketType = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  /** The price in the open phase; `null` when no phase is open. */
  price: Price.nullable(),
  available: z.boolean(),
  /** Present only where the organiser chose to show it. */
  remaining: z.int().min(0).optional(),
});
export type ConfigTicketType = z.infer<typeof ConfigTicketType>;

export const ConfigPaymentMethod = z.object({
  id: z.string(),
  name: z.string(),
  kind: PaymentMethodKind,
  instructions: z.string().optional(),
  reference_required: z.boolean(),
  proof_required: z.boolean(),
});
export type ConfigPaymentMethod = z.infer<typeof ConfigPaymentMethod>;

/**
 * `GET /registrations/config` (SPEC §2): everything a form needs to render itself.
 * Response schemas are tolerant readers (`z.object`): a field a newer backend adds is
 * dropped, not refused, so a proxy of the previous version keeps working through a rolling
 * deploy (issue 15). Request bodies stay strict (`z.strictObject`).
 */
export const Config = z.object({
  conference: ConfigConference,
  public_registration_enabled: z.boolean(),
  open_phase: ConfigPhase.nullable(),
  /** While no phase is open, the next one to open, if any (so a form can say when sales start). */
  next_phase: ConfigPhase.optional(),
  ticket_types: z.array(ConfigTicketType),
  payment_methods: z.array(ConfigPaymentMethod),
  fields: z.array(ConfigField),
});
export type Config = z.infer<typeof Config>;

export const ConfigResponse = z.object({ data: Config });
export type ConfigResponse = z.infer<typeof ConfigResponse>;
