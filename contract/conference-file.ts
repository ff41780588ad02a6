import * as z from 'zod';
import { CurrencyCode, IsoDate, IsoDateTime, MinorUnits, Slug } from './common.js';
import { PaymentMethodKind } from './config.js';
import { CHOICE_TYPES, RESERVED_FIELD_KEYS } from './browser.js';
import { FieldOption, FieldType } from './fields.js';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const compiles = (pattern: string) => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
};

export const Phase = z.strictObject({
  id: Slug,
  name: z.string().min(1).max(128),
  starts_at: IsoDateTime,
  ends_at: IsoDateTime,
});
export type Phase = z.infer<typeof Phase>;

export const TicketType = z.strictObject({
  id: Slug,
  name: z.string().min(1).max(128),
  description: z.string().max(1024).optional(),
  /** Seats of this type; absent means only the conference's capacity limits it. */
  capacity: z.int().min(0).optional(),
  /** Price per phase id, in minor units. A ticket without a price in the open phase is not on sale then. */
  prices: z.record(Slug, MinorUnits),
});
export type TicketType = z.infer<typeof TicketType>;

export const PaymentMethod = z.strictObject({
  id: Slug,
  name: z.string().min(1).max(128),
  kind: PaymentMethodKind,
  instructions: z.string().max(2048).optional(),
  reference_required: z.boolean().default(false),
  proof_required: z.boolean().default(false),
  /** An inactive method stays in the file (old registrations name it) but is not offered. */
  active: z.boolean().default(true),
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const FieldDefinition = z
  .strictObject({
    key: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'Use a letter, then letters, digits or "_" (64 at most)' })
      .refine((key) => !RESERVED_FIELD_KEYS.has(key), { error: 'This key is reserved' }),
    label: z.string().min(1).max(256),
    type: FieldType,
    enabled: z.boolean().default(true),
    required: z.boolean().default(false),
    max_length: z.int().min(1).max(4096).optional(),
    min: z.union([z.number(), IsoDate]).optional(),
    max: z.union([z.number(), IsoDate]).optional(),
    pattern: z.string().max(512).refine(compiles, { error: 'Must be a valid regular expression' }).optional(),
    options: z.array(FieldOption).min(1).max(200).optional(),
    help_text: z.string().max(512).optional(),
    placeholder: z.string().max(256).optional(),
  })
  .superRefine((field, ctx) => {
    if (CHOICE_TYPES.has(field.type) && !field.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `A ${field.type} field needs options` });
    }
    if (field.options && new Set(field.options.map((o) => o.value)).size !== field.options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Option values must be unique' });
    }
  });
export type FieldDefinition = z.infer<typeof FieldDefinition>;

export const ConferenceStatus = z.enum(['draft', 'live', 'ended']);
export type ConferenceStatus = z.infer<typeof ConferenceStatus>;

function uniqueIds(ctx: z.RefinementCtx, list: { id?: string; key?: string }[], path: string) {
  const seen = new Set<string>();
  list.forEach((item, index) => {
    const id = item.id ?? item.key ?? '';
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [path, index], message: `Duplicate id "${id}"` });
    seen.add(id);
  });
}

/** The conference file of `confera-admin conference create --file` (SPEC §2). */
export const ConferenceFile = z
  .strictObject({
    id: z.union([Slug, z.int().positive()]).transform(String).optional(),
    name: z.string().min(1).max(200),
    status: ConferenceStatus,
    plan_ends_at: IsoDateTime.nullable().optional(),
    starts_on: IsoDate,
    ends_on: IsoDate,
    timezone: z.string().refine(isTimeZone, { error: 'Must be an IANA time zone such as Europe/Berlin' }),
    currency: CurrencyCode,
    capacity: z.int().min(0).nullable().optional(),
    public_registration_enabled: z.boolean(),
    registration_closes_at: IsoDateTime.nullable().optional(),
    show_remaining: z.boolean().default(false),
    phases: z.array(Phase).max(50).default([]),
    ticket_types: z.array(TicketType).min(1).max(100),
    payment_methods: z.array(PaymentMethod).max(20).default([]),
    fields: z.array(FieldDefinition).max(100).default([]),
  })
  .superRefine((conf, ctx) => {
    if (conf.ends_on < conf.starts_on) {
      ctx.addIssue({ code: 'custom', path: ['ends_on'], message: 'Must not be before starts_on' });
    }
    uniqueIds(ctx, conf.phases, 'phases');
    uniqueIds(ctx, conf.ticket_types, 'ticket_types');
    uniqueIds(ctx, conf.payment_methods, 'payment_methods');
    uniqueIds(ctx, conf.fields, 'fields');
    // Phases must not overlap: "the open phase" has to be one phase (SPEC §2).
    const phases = conf.phases.map((p, index) => ({ ...p, index, from: Date.parse(p.starts_at), to: Date.parse(p.ends_at) }));
    for (const p of phases) {
      if (p.to <= p.from) ctx.addIssue({ code: 'custom', path: ['phases', p.index, 'ends_at'], message: 'Must be after starts_at' });
    }
    const sorted = [...phases].sort((a, b) => a.from - b.from);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.from < sorted[i - 1]!.to) {
        ctx.addIssue({ code: 'custom', path: ['phases', sorted[i]!.index, 'starts_at'], message: `Overlaps phase "${sorted[i - 1]!.id}"` });
      }
    }
    const phaseIds = new Set(conf.phases.map((p) => p.id));
    conf.ticket_types.forEach((ticket, index) => {
      for (const phaseId of Object.keys(ticket.prices)) {
        if (!phaseIds.has(phaseId)) {
          ctx.addIssue({ code: 'custom', path: ['ticket_types', index, 'prices', phaseId], message: `Unknown phase "${phaseId}"` });
        }
      }
    });
  });
export type ConferenceFile = z.infer<typeof ConferenceFile>;
/** A stored conference: the file with its id settled. */
export type Conference = ConferenceFile & { id: string };

/**
 * Zod issues as `path: message` lines, the path spelled `ticket_types[0].prices.early-bird`.
 * An unknown key is named by its own path (`ticket_types[0].colour`), not its parent's.
 */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  const spell = (path: PropertyKey[]) =>
    path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: spell([...issue.path, key]), message: 'Unknown field' }))
      : [{ path: spell(issue.path), message: issue.message }],
  );
}
