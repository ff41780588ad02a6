/**
 * The part of the contract that is plain values: limits, field types, the JSONP callback
 * rule and the error-code tables. No zod, no Node: the widget imports values from here (and
 * from `custom-fields.ts`, which builds on it) and stays small; a trial import of the zod
 * schemas cost 25–28 KB gzip (issue 15). The schemas in the other files are built from these
 * values, so a limit is written once. `test/contract/browser.test.ts` bundles this module and
 * fails if zod or a server module reaches it.
 */

/** Limits of the create body (SPEC §2, from seed 004's Contact structure). */
export const LIMITS = {
  name: 32,
  email: 128,
  paymentReference: 64,
  paymentProofUrl: 2048,
  idempotencyKey: 255,
  /** The whole JSON body, in bytes. */
  bodyBytes: 32 * 1024,
  customFieldKey: 64,
  customFieldText: 4096,
  multiselectValues: 64,
  /** A JSONP submit's `jsonData`, in UTF-8 bytes (SPEC §3): it travels in the URL. */
  jsonDataBytes: 8 * 1024,
} as const;

/**
 * What the contract accepts as an e-mail address (zod 4's own pattern, written out so that
 * the widget checks exactly what the servers check).
 */
export const EMAIL_PATTERN = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/**
 * The messages of a field check, as templates (`{max}` is filled in). The servers answer
 * with these English ones; the widget passes its own language's to `checkCustomFields` and
 * recognises these in a server answer to translate them.
 */
export const FIELD_MESSAGES = {
  required: 'Required',
  unknown: 'Unknown field',
  number: 'Must be a number',
  min: 'Must be at least {min}',
  max: 'Must be at most {max}',
  boolean: 'Must be true or false',
  choice: 'Must be one of the options',
  list: 'Must be a list of options',
  repeat: 'Must not repeat an option',
  date: 'Must be a date (YYYY-MM-DD)',
  minDate: 'Must be on or after {min}',
  maxDate: 'Must be on or before {max}',
  text: 'Must be text',
  tooLong: 'Must be at most {max} characters',
  singleLine: 'Must be a single line',
  email: 'Must be a valid e-mail address',
  url: 'Must be an http(s) URL',
  format: 'Has the wrong format',
};
export type FieldMessages = typeof FIELD_MESSAGES;

/** A message template with its `{name}` slots filled. */
export function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? String(values[name]) : slot));
}

/** Default `max_length` of a free-text custom field (SPEC §2). */
export const DEFAULT_MAX_LENGTH = 256;

/** Every field type of the config (SPEC §2). */
export const FIELD_TYPES = [
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
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Field types whose value is one or more of `options`. */
export const CHOICE_TYPES: ReadonlySet<FieldType> = new Set(['select', 'radio', 'multiselect']);
/** Field types whose value is free text, limited by `max_length`. */
export const TEXT_TYPES: ReadonlySet<FieldType> = new Set(['text', 'textarea', 'email', 'tel', 'url']);

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

/** SPEC §3: a JSONP callback is a dotted path of JavaScript identifiers, at most 64 characters. */
export const JSONP_CALLBACK_PATTERN = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
export const JSONP_CALLBACK_MAX_LENGTH = 64;

/** Every error code of the Public API with its HTTP status: the table of SPEC §2, in one place. */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_failed: 400,
  missing_api_key: 401,
  invalid_api_key: 401,
  insufficient_scope: 403,
  conference_not_live: 403,
  not_found: 404,
  registration_closed: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  duplicate_registration: 409,
  event_full: 409,
  ticket_sold_out: 409,
  idempotency_key_in_use: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_ticket_type: 422,
  unknown_payment_method: 422,
  payment_method_required: 422,
  pricing_closed: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  not_ready: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The proxy's own codes (SPEC §3) with their statuses; the proxy also relays the backend's
 * 4xx codes above. A browser sees only codes from these two tables, or a code of a newer
 * backend that it should treat as a generic error.
 */
export const PROXY_ERROR_STATUS = {
  invalid_callback: 400,
  invalid_multipart: 400,
  forbidden_request: 403,
  origin_not_allowed: 403,
  widget_not_built: 404,
  /** The seed-004 resource (SPEC §3b): an EventID other than the proxy's conference. */
  event_not_found: 404,
  /** The seed-004 resource: the event has no free ticket type, its registrations need payment. */
  payment_required: 405,
  unsupported_file_type: 415,
  upstream_unavailable: 502,
  service_unavailable: 503,
  upstream_timeout: 504,
} as const;
export type ProxyOwnErrorCode = keyof typeof PROXY_ERROR_STATUS;
/** Every code a browser may get from the proxy. */
export type ProxyErrorCode = ErrorCode | ProxyOwnErrorCode;
