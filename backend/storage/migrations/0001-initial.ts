import type { Kysely, Migration } from 'kysely';

export const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('conferences')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('doc', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('registered_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('ticket_sales')
      .addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
      .addColumn('ticket_type_id', 'text', (c) => c.notNull())
      .addColumn('sold', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('ticket_sales_pk', ['conference_id', 'ticket_type_id'])
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('key_hint', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('api_keys_conference').on('api_keys').column('conference_id').execute();

    await db.schema
      .createTable('registrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
      .addColumn('reference', 'text', (c) => c.notNull().unique())
      .addColumn('identity_hash', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('ticket_type_id', 'text', (c) => c.notNull())
      .addColumn('ticket_type_name', 'text', (c) => c.notNull())
      .addColumn('payment_method_id', 'text')
      .addColumn('payment_reference', 'text')
      .addColumn('payment_proof_url', 'text')
      .addColumn('custom_fields', 'text', (c) => c.notNull())
      .addColumn('region', 'text')
      .addColumn('price_amount', 'integer', (c) => c.notNull())
      .addColumn('price_currency', 'text', (c) => c.notNull())
      .addColumn('phase_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('api_key_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('registrations_identity', ['conference_id', 'identity_hash'])
      .execute();
    await db.schema.createIndex('registrations_listing').on('registrations').columns(['conference_id', 'created_at', 'id']).execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('api_key_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['api_key_id', 'key'])
      .execute();
    await db.schema.createIndex('idempotency_keys_age').on('idempotency_keys').column('created_at').execute();
  },
  async down(db: Kysely<any>) {
    for (const table of ['idempotency_keys', 'registrations', 'api_keys', 'ticket_sales', 'conferences']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
