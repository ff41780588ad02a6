import { sql, type Transaction } from 'kysely';
import type { Conference, CreateRegistration, Registration } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import type { Database, RegistrationTable } from '../storage/schema.js';
import { identityHash } from './identity.js';
import { type CreateContext, duplicateError, findIdentity, prepareRow, toRegistration } from './registrations.js';

const REGISTRATION_COLUMNS = [
  'id',
  'conference_id',
  'reference',
  'identity_hash',
  'first_name',
  'last_name',
  'email',
  'ticket_type_id',
  'ticket_type_name',
  'payment_method_id',
  'payment_reference',
  'payment_proof_url',
  'custom_fields',
  'region',
  'price_amount',
  'price_currency',
  'phase_id',
  'status',
  'api_key_id',
  'created_at',
] as const satisfies readonly (keyof RegistrationTable)[];

/**
 * The claim, in one statement: the conference's seat (a conditional `UPDATE … RETURNING`,
 * which takes the conference's row lock), the ticket type's seat (an upsert that adds only
 * below the capacity) and the registration row (only when both seats were had; a twin or a
 * reference collision inserts nothing instead of failing). The counts it returns say which
 * part, if any, refused. `doc = $doc` makes it hold only for the document the rules were
 * decided on.
 */
async function claim(
  trx: Transaction<Database>,
  doc: string,
  conference: Conference,
  row: RegistrationTable,
  ticketCapacity: number | null,
) {
  // Typed, or PostgreSQL takes the parameters of an INSERT … SELECT for text.
  const values = sql.join(
    REGISTRATION_COLUMNS.map((column) => (column === 'price_amount' ? sql`${row[column]}::integer` : sql`${row[column]}`)),
  );
  const columns = sql.join(REGISTRATION_COLUMNS.map((column) => sql.ref(column)));
  const capacity = conference.capacity ?? null;
  const { rows } = await sql<Outcome>`
    with seat as (
      update conferences set registered_count = registered_count + 1
      where id = ${conference.id} and doc = ${doc} and (${capacity}::integer is null or registered_count < ${capacity}::integer)
      returning id
    ), ticket as (
      insert into ticket_sales (conference_id, ticket_type_id, sold)
      select id, ${row.ticket_type_id}, 1 from seat
      on conflict (conference_id, ticket_type_id) do update set sold = ticket_sales.sold + 1
      where ${ticketCapacity}::integer is null or ticket_sales.sold < ${ticketCapacity}::integer
      returning sold
    ), registration as (
      insert into registrations (${columns}) select ${values} from ticket
      on conflict do nothing
      returning id
    )
    select (select count(*) from seat)::integer as seat, (select count(*) from ticket)::integer as ticket,
           (select count(*) from registration)::integer as registration`.execute(trx);
  return rows[0]!;
}

interface Outcome {
  seat: number;
  ticket: number;
  registration: number;
}

/** A refused claim gives back the seats it took, in the same transaction (no savepoint: batch-commit.ts). */
async function giveBack(trx: Transaction<Database>, conferenceId: string, ticketTypeId: string, outcome: Outcome) {
  if (outcome.seat === 1) {
    await trx
      .updateTable('conferences')
      .set((eb) => ({ registered_count: eb('registered_count', '-', 1) }))
      .where('id', '=', conferenceId)
      .execute();
  }
  if (outcome.ticket === 1) {
    await trx
      .updateTable('ticket_sales')
      .set((eb) => ({ sold: eb('sold', '-', 1) }))
      .where('conference_id', '=', conferenceId)
      .where('ticket_type_id', '=', ticketTypeId)
      .execute();
  }
}

/**
 * The PostgreSQL create (issue 14). A create used to hold the conference's row lock for seven
 * round trips (lock, read the sales, three writes, the idempotency answer, commit), so creates
 * for one conference serialised at 360–470/s. Now what needs no lock comes first, outside any
 * transaction (the conference and a twin in one read, the rules); the claim and the
 * idempotency answer (which commits with the registration or not at all) go into a batch
 * with the other creates of this process, one commit for all (batch-commit.ts). Capacity,
 * ticket capacity and duplicates stay exact across processes: the seats are counted under the
 * row lock, and the unique index decides between twins.
 */
export async function createOnPostgres(ctx: CreateContext, body: CreateRegistration): Promise<Registration> {
  const identity = identityHash(body.firstName, body.lastName, body.email);
  for (let attempt = 0; ; attempt++) {
    const found = await ctx.store.db
      .selectFrom('conferences')
      .select((eb) => [
        'id',
        'doc',
        eb
          .selectFrom('registrations')
          .select('registrations.id')
          .where('registrations.conference_id', '=', ctx.conferenceId)
          .where('registrations.identity_hash', '=', identity)
          .as('twin'),
      ])
      .where('id', '=', ctx.conferenceId)
      .executeTakeFirst();
    if (!found) throw new ApiError('conference_not_live', 'This conference is not taking registrations through the API');
    const conference: Conference = { ...JSON.parse(found.doc), id: found.id };
    const { row, ticket } = prepareRow(conference, ctx, body, identity);
    if (found.twin) throw duplicateError(body);
    const registration = toRegistration(row);

    const outcome = await ctx.store.batch(async (trx) => {
      const result = await claim(trx, found.doc, conference, row, ticket.capacity ?? null);
      if (result.registration === 1) await ctx.beforeCommit?.(trx, registration);
      else await giveBack(trx, conference.id, ticket.id, result);
      return result;
    });
    if (outcome.registration === 1) return registration;

    // Refused (only once sold out, for a twin, or after an organiser's update): say why.
    if (await findIdentity(ctx.store.db, ctx.conferenceId, identity)) throw duplicateError(body);
    if (outcome.ticket === 1 && attempt < 3) continue; // a reference collision (one in a billion)
    if (outcome.seat === 1) throw new ApiError('ticket_sold_out', 'This ticket type is sold out', { field: 'ticketTypeId' });
    const now = await ctx.store.db.selectFrom('conferences').select('doc').where('id', '=', ctx.conferenceId).executeTakeFirst();
    if (now?.doc !== found.doc && attempt < 10) continue; // decided on an older document: decide again
    throw new ApiError('event_full', 'This event is full and is no longer accepting registrations');
  }
}
