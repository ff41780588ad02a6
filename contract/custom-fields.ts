import { DEFAULT_MAX_LENGTH } from './browser.js';
import type { ConfigField } from './fields.js';
import type { CustomFieldValue } from './registration.js';
import type { FieldErrors } from './errors.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isEmpty(value: CustomFieldValue | undefined): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function checkValue(field: ConfigField, value: CustomFieldValue): string | null {
  const allowed = new Set((field.options ?? []).map((o) => o.value));
  switch (field.type) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Must be a number';
      if (typeof field.min === 'number' && value < field.min) return `Must be at least ${field.min}`;
      if (typeof field.max === 'number' && value > field.max) return `Must be at most ${field.max}`;
      return null;
    }
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'Must be true or false';
    case 'select':
    case 'radio':
      return typeof value === 'string' && allowed.has(value) ? null : 'Must be one of the options';
    case 'multiselect': {
      if (!Array.isArray(value)) return 'Must be a list of options';
      if (new Set(value).size !== value.length) return 'Must not repeat an option';
      return value.every((v) => allowed.has(v)) ? null : 'Must be one of the options';
    }
    case 'date': {
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) return 'Must be a date (YYYY-MM-DD)';
      if (typeof field.min === 'string' && value < field.min) return `Must be on or after ${field.min}`;
      if (typeof field.max === 'string' && value > field.max) return `Must be on or before ${field.max}`;
      return null;
    }
    default: {
      if (typeof value !== 'string') return 'Must be text';
      const max = field.max_length ?? DEFAULT_MAX_LENGTH;
      if ([...value].length > max) return `Must be at most ${max} characters`;
      if (field.type !== 'textarea' && /[\r\n]/.test(value)) return 'Must be a single line';
      if (field.type === 'email' && !EMAIL.test(value)) return 'Must be a valid e-mail address';
      if (field.type === 'url' && !/^https?:\/\/\S+$/i.test(value)) return 'Must be an http(s) URL';
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, 'u').test(value)) return 'Has the wrong format';
      return null;
    }
  }
}

/**
 * Checks `customFields` against the config's fields (SPEC §2): unknown or disabled keys are
 * refused, required ones must be present, each value must fit its type and limits. Returns
 * the cleaned values (empty optional values dropped) or the errors keyed `customFields.<key>`.
 */
export function checkCustomFields(
  fields: readonly ConfigField[],
  values: Record<string, CustomFieldValue> = {},
): { ok: true; value: Record<string, CustomFieldValue> } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const clean: Record<string, CustomFieldValue> = {};
  const custom = new Map(fields.filter((f) => f.custom && f.enabled).map((f) => [f.key, f]));
  for (const key of Object.keys(values)) {
    if (!custom.has(key)) errors[`customFields.${key}`] = ['Unknown field'];
  }
  for (const field of custom.values()) {
    // Own keys only: a field keyed `constructor` must not read Object.prototype's.
    const value = Object.hasOwn(values, field.key) ? values[field.key] : undefined;
    if (isEmpty(value) || (field.type === 'checkbox' && field.required && value === false)) {
      if (field.required) errors[`customFields.${field.key}`] = ['Required'];
      continue;
    }
    const problem = checkValue(field, value!);
    if (problem) errors[`customFields.${field.key}`] = [problem];
    else clean[field.key] = value!;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: clean };
}
