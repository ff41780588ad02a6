import { stringify } from 'csv-stringify/sync';
import type { Registration } from '../../contract/index.js';

/**
 * A cell that a spreadsheet would run as a formula starts with = + - @, a tab or a carriage
 * return; a leading apostrophe makes it text (OWASP "CSV injection"). Numbers stay numbers.
 */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

const BASE_COLUMNS: [string, (r: Registration) => unknown][] = [
  ['reference', (r) => r.reference],
  ['id', (r) => r.id],
  ['created_at', (r) => r.createdAt],
  ['status', (r) => r.status],
  ['first_name', (r) => r.firstName],
  ['last_name', (r) => r.lastName],
  ['email', (r) => r.email],
  ['ticket_type_id', (r) => r.ticketTypeId],
  ['ticket_type_name', (r) => r.ticketTypeName],
  ['price_amount', (r) => r.price.amount],
  ['price_currency', (r) => r.price.currency],
  ['phase_id', (r) => r.price.phaseId],
  ['payment_method_id', (r) => r.paymentMethodId],
  ['payment_reference', (r) => r.paymentReference],
  ['payment_proof_url', (r) => r.paymentProofUrl],
  ['region', (r) => r.region],
];

function cell(value: unknown): string | number {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return neutralise(value.join('; '));
  return neutralise(String(value));
}

/** Registrations as CSV: fixed columns, then one `custom.<key>` column per custom field seen. */
export function toCsv(registrations: Registration[]): string {
  const customKeys = [...new Set(registrations.flatMap((r) => Object.keys(r.customFields)))].sort();
  const header = [...BASE_COLUMNS.map(([name]) => name), ...customKeys.map((k) => `custom.${k}`)];
  const rows = registrations.map((r) => [
    ...BASE_COLUMNS.map(([, get]) => cell(get(r))),
    ...customKeys.map((k) => cell(r.customFields[k])),
  ]);
  return stringify([header.map(neutralise), ...rows], { quoted_match: /[",\r\n]/, record_delimiter: 'unix' });
}
