import * as z from 'zod';
import { IsoDate } from './common.js';

export const FieldType = z.enum([
  'text',
  'textarea',
  'email',
  'tel',
  'url',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'multiselect',
]);
export type FieldType = z.infer<typeof FieldType>;

/** Field types whose value is one or more of `options`. */
export const CHOICE_TYPES: ReadonlySet<FieldType> = new Set(['select', 'radio', 'multiselect']);
/** Field types whose value is free text, limited by `max_length`. */
export const TEXT_TYPES: ReadonlySet<FieldType> = new Set(['text', 'textarea', 'email', 'tel', 'url']);

/** Default `max_length` of a free-text custom field (SPEC §2). */
export const DEFAULT_MAX_LENGTH = 256;

export const FieldOption = z.strictObject({
  value: z.string().min(1).max(128),
  label: z.string().min(1).max(256),
});
export type FieldOption = z.infer<typeof FieldOption>;

/** The identity fields: always enabled and required, never in `customFields`. */
export const IDENTITY_FIELD_KEYS = ['firstName', 'lastName', 'email'] as const;

/** Keys a custom field may not take: the create body's own top-level keys. */
export const RESERVED_FIELD_KEYS: ReadonlySet<string> = new Set([
  ...IDENTITY_FIELD_KEYS,
  'ticketTypeId',
  'paymentMethodId',
  'paymentReference',
  'paymentProofUrl',
  'customFields',
  'region',
  'submissionId',
]);

/** A field as the config shows it (snake_case, SPEC §2). */
export const ConfigField = z.strictObject({
  key: z.string(),
  label: z.string(),
  type: FieldType,
  enabled: z.boolean(),
  required: z.boolean(),
  custom: z.boolean().optional(),
  max_length: z.int().positive().optional(),
  /** A number for `number` fields, a `YYYY-MM-DD` date for `date` fields. */
  min: z.union([z.number(), IsoDate]).optional(),
  max: z.union([z.number(), IsoDate]).optional(),
  pattern: z.string().optional(),
  options: z.array(FieldOption).optional(),
  help_text: z.string().optional(),
  placeholder: z.string().optional(),
});
export type ConfigField = z.infer<typeof ConfigField>;
