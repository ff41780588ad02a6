import * as z from 'zod';
import { FIELD_TYPES } from './browser.js';
import { IsoDate } from './common.js';

export const FieldType = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldType>;

export const FieldOption = z.strictObject({
  value: z.string().min(1).max(128),
  label: z.string().min(1).max(256),
});
export type FieldOption = z.infer<typeof FieldOption>;

/** A choice as the config shows it: the same shape, read tolerantly (see `Config`). */
export const ConfigFieldOption = z.object({ value: z.string(), label: z.string() });

/** A field as the config shows it (snake_case, SPEC §2); a tolerant reader, as `Config` is. */
export const ConfigField = z.object({
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
  options: z.array(ConfigFieldOption).optional(),
  help_text: z.string().optional(),
  placeholder: z.string().optional(),
});
export type ConfigField = z.infer<typeof ConfigField>;
