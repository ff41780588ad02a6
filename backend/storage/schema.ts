import type { Generated } from 'kysely';

/**
 * Table types for kysely. Times are ISO-8601 UTC strings and booleans 0/1 integers, so that
 * one set of migrations and queries serves SQLite and PostgreSQL alike (docs/decisions.md).
 */
export interface ConferenceTable {
  id: string;
  /** The validated conference file as JSON (contract/conference-file.ts). */
  doc: string;
  status: string;
  /** Registrations taken; the counted row that capacity checks lock. */
  registered_count: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface TicketSalesTable {
  conference_id: string;
  ticket_type_id: string;
  sold: number;
}

export interface ApiKeyTable {
  id: string;
  conference_id: string;
  name: string;
  /** Comma-separated scopes. */
  scopes: string;
  /** SHA-256 of the whole key, hex: the key itself is never stored. */
  key_hash: string;
  /** The key's first characters, shown in listings so that a person can tell keys apart. */
  key_hint: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface RegistrationTable {
  id: string;
  conference_id: string;
  reference: string;
  /** SHA-256 of the normalised first name, last name and e-mail: the duplicate rule's key. */
  identity_hash: string;
  first_name: string;
  last_name: string;
  email: string;
  ticket_type_id: string;
  ticket_type_name: string;
  payment_method_id: string | null;
  payment_reference: string | null;
  payment_proof_url: string | null;
  custom_fields: string;
  region: string | null;
  price_amount: number;
  price_currency: string;
  phase_id: string;
  status: string;
  api_key_id: string | null;
  created_at: string;
}

export interface IdempotencyTable {
  api_key_id: string;
  key: string;
  request_hash: string;
  /** `in_flight` until the first request has its answer, then `done`. */
  state: string;
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export interface Database {
  conferences: ConferenceTable;
  ticket_sales: TicketSalesTable;
  api_keys: ApiKeyTable;
  registrations: RegistrationTable;
  idempotency_keys: IdempotencyTable;
}
