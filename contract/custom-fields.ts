import { DEFAULT_MAX_LENGTH, FIELD_MESSAGES, fill, type FieldMessages } from './browser.js';
import type { ConfigField } from './fields.js';
import type { CustomFieldValue } from './registration.js';
import type { FieldErrors } from './errors.js';

// zod-free on purpose: the widget runs these same checks in the browser (contract/browser.ts).

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isEmpty(value: CustomFieldValue | undefined): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The problem with one value of a field, as a message, or null when it fits. */
export function checkValue(field: ConfigField, value: CustomFieldValue, m: FieldMessages = FIELD_MESSAGES): string | null {
  const allowed = new Set((field.options ?? []).map((o) => o.value));
  switch (field.type) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return m.number;
      if (typeof field.min === 'number' && value < field.min) return fill(m.min, { min: field.min });
      if (typeof field.max === 'number' && value > field.max) return fill(m.max, { max: field.max });
      return null;
    }
    case 'checkbox':
      return typeof value === 'boolean' ? null : m.boolean;
    case 'select':
    case 'radio':
      return typeof value === 'string' && allowed.has(value) ? null : m.choice;
    case 'multiselect': {
      if (!Array.isArray(value)) return m.list;
      if (new Set(value).size !== value.length) return m.repeat;
      return value.every((v) => allowed.has(v)) ? null : m.choice;
    }
    case 'date': {
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) return m.date;
      if (typeof field.min === 'string' && value < field.min) return fill(m.minDate, { min: field.min });
      if (typeof field.max === 'string' && value > field.max) return fill(m.maxDate, { max: field.max });
      return null;
    }
    default: {
      if (typeof value !== 'string') return m.text;
      const max = field.max_length ?? DEFAULT_MAX_LENGTH;
      if ([...value].length > max) return fill(m.tooLong, { max });
      if (field.type !== 'textarea' && /[\r\n]/.test(value)) return m.singleLine;
      if (field.type === 'email' && !EMAIL.test(value)) return m.email;
      if (field.type === 'url' && !/^https?:\/\/\S+$/i.test(value)) return m.url;
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, 'u').test(value)) return m.format;
      return null;
    }
  }
}

/**
 * Checks `customFields` against the config's fields (SPEC §2): unknown or disabled keys are
 * refused, required ones must be present, each value must fit its type and limits. Returns
 * the cleaned values (empty optional values dropped) or the errors keyed `customFields.<key>`,
 * in English unless other `messages` are given.
 */
export function checkCustomFields(
  fields: readonly ConfigField[],
  values: Record<string, CustomFieldValue> = {},
  messages: FieldMessages = FIELD_MESSAGES,
): { ok: true; value: Record<string, CustomFieldValue> } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const clean: Record<string, CustomFieldValue> = {};
  const custom = new Map(fields.filter((f) => f.custom && f.enabled).map((f) => [f.key, f]));
  for (const key of Object.keys(values)) {
    if (!custom.has(key)) errors[`customFields.${key}`] = [messages.unknown];
  }
  for (const field of custom.values()) {
    // Own keys only: a field keyed `constructor` must not read Object.prototype's.
    const value = Object.hasOwn(values, field.key) ? values[field.key] : undefined;
    if (isEmpty(value) || (field.type === 'checkbox' && field.required && value === false)) {
      if (field.required) errors[`customFields.${field.key}`] = [messages.required];
      continue;
    }
    const problem = checkValue(field, value!, messages);
    if (problem) errors[`customFields.${field.key}`] = [problem];
    else clean[field.key] = value!;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: clean };
}
