/**
 * The wire contract of Confera Registration (SPEC §2–§4), once: zod schemas, and the
 * TypeScript types inferred from them. Servers parse with the schemas; the widget
 * imports types only (`import type`), so no zod reaches the browser bundle.
 */
export * from './common.js';
export * from './fields.js';
export * from './config.js';
export * from './registration.js';
export * from './errors.js';
export * from './conference-file.js';
export * from './custom-fields.js';
export * from './proxy.js';
