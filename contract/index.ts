/**
 * The wire contract of Confera Registration (SPEC §2–§4), once: zod schemas, and the
 * TypeScript types inferred from them. Servers parse with the schemas; the widget
 * imports types only from here (`import type`), and values only from `browser.ts` and
 * `custom-fields.ts`, so no zod reaches the browser bundle.
 */
export {
  LIMITS,
  DEFAULT_MAX_LENGTH,
  FIELD_TYPES,
  CHOICE_TYPES,
  TEXT_TYPES,
  IDENTITY_FIELD_KEYS,
  RESERVED_FIELD_KEYS,
  JSONP_CALLBACK_PATTERN,
  JSONP_CALLBACK_MAX_LENGTH,
  ERROR_STATUS,
  PROXY_ERROR_STATUS,
  EMAIL_PATTERN,
  FIELD_MESSAGES,
  fill,
} from './browser.js';
export type { ProxyErrorCode, ProxyOwnErrorCode, FieldMessages } from './browser.js';
export * from './common.js';
export * from './fields.js';
export * from './config.js';
export * from './registration.js';
export * from './errors.js';
export * from './conference-file.js';
export * from './custom-fields.js';
export * from './proxy.js';
export * from './pub-resource.js';
