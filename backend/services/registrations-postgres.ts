import { sql, type Kysely } from 'kysely';
import type { Conference, CreateRegistration, Registration } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import type { Store } from '../storage/database.js';
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
async function claim(trx: Kysely<Database>, doc: string, conference: Conference, row: RegistrationTable, ticketCapacity: number | null) {
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
      -- The capacity is checked here too: the first sale of a ticket type inserts, with no
      -- conflict to check it on, and a capacity of 0 allows none.
      select id, ${row.ticket_type_id}, 1 from seat where ${ticketCapacity}::integer is null or ${ticketCapacity}::integer > 0
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
async function giveBack(trx: Kysely<Database>, conferenceId: string, ticketTypeId: string, outcome: Outcome) {
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

/** What a create decides on: a conference's stored document, and the conference it describes. */
interface Decided {
  doc: string;
  conference: Conference;
}

/** Conferences whose documents a process keeps; past it, the least recently used is forgotten. */
const DOCUMENTS_KEPT = 1000;
const documents = new WeakMap<Store, Map<string, Decided>>();

/**
 * The document creates for a conference are decided on: the one this process last read,
 * unless `fresh`. Never trusted blindly: the claim holds only while the stored document is
 * still this one (`doc = $doc`), and a create refused on a kept document is decided again on
 * the stored one, so an organiser's update costs a create one more round, never a wrong answer.
 */
async function decidedOn(store: Store, conferenceId: string, fresh: boolean): Promise<Decided | undefined> {
  let kept = documents.get(store);
  if (!kept) documents.set(store, (kept = new Map()));
  const hit = fresh ? undefined : kept.get(conferenceId);
  if (hit) {
    // Least recently used goes first: a hit moves to the end of the Map's order.
    kept.delete(conferenceId);
    kept.set(conferenceId, hit);
    return hit;
  }
  const row = await store.db.selectFrom('conferences').select(['id', 'doc']).where('id', '=', conferenceId).executeTakeFirst();
  kept.delete(conferenceId);
  if (!row) return undefined;
  const decided = { doc: row.doc, conference: { ...(JSON.parse(row.doc) as Omit<Conference, 'id'>), id: row.id } };
  if (kept.size >= DOCUMENTS_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(conferenceId, decided);
  return decided;
}

const notLive = () => new ApiError('conference_not_live', 'This conference is not taking registrations through the API');

/**
 * The PostgreSQL create (issue 14). A create used to hold the conference's row lock for seven
 * round trips (lock, read the sales, three writes, the idempotency answer, commit), so creates
 * for one conference serialised at 360–470/s. Now the rules are decided before any lock, on
 * the conference's document as this process last read it; the claim and the idempotency
 * answer (which commits with the registration or not at all) go into a batch with the other
 * creates of this process, one commit for all (batch-commit.ts). Capacity, ticket capacity
 * and duplicates stay exact across processes: the seats are counted under the row lock, the
 * claim holds only for the document decided on, and the unique index decides between twins.
 */
export async function createOnPostgres(ctx: CreateContext, body: CreateRegistration): Promise<Registration> {
  const identity = identityHash(body.firstName, body.lastName, body.email);
  let fresh = false;
  for (let attempt = 0; ; attempt++) {
    const decided = await decidedOn(ctx.store, ctx.conferenceId, fresh);
    if (!decided) throw notLive();
    const { doc, conference } = decided;
    let prepared: ReturnType<typeof prepareRow>;
    try {
      prepared = prepareRow(conference, ctx, body, identity);
    } catch (refusal) {
      if (fresh) throw refusal;
      fresh = true; // refused on a kept document: decide again on the stored one
      continue;
    }
    const { row, ticket } = prepared;
    const registration = toRegistration(row);

    const outcome = await ctx.store.batch(async (trx) => {
      const result = await claim(trx, doc, conference, row, ticket.capacity ?? null);
      if (result.registration === 1) await ctx.beforeCommit?.(trx, registration);
      else await giveBack(trx, conference.id, ticket.id, result);
      return result;
    }, conference.id);
    if (outcome.registration === 1) return registration;

    // Refused: decided on a document that is no longer the stored one, a twin (found now,
    // since no read looked for one before), or sold out. The document comes first, so that
    // the stored rules (closed, ended) answer before "already registered", as they would on
    // a fresh read. The claims of one batch run at the same time (batch-commit.ts), so a
    // seat that a claim before ours gave back in that batch was not yet free for ours: a
    // seat free now means decide again.
    const now = await seatsNow(ctx.store.db, ctx.conferenceId, ticket.id);
    const retry = attempt < 10;
    if (now?.doc !== doc) {
      fresh = true;
      if (retry) continue;
      if (!now) throw notLive();
    }
    if (await findIdentity(ctx.store.db, ctx.conferenceId, identity)) throw duplicateError(body);
    // Changed under every attempt: a twin is still a twin (above), but "full" would be a lie
    // (a 500, which the proxy answers as one to retry).
    if (now.doc !== doc) throw new Error('The conference document changed during every attempt of a create');
    if (outcome.ticket === 1 && attempt < 3) continue; // a reference collision (one in a billion)
    if (outcome.seat === 1) {
      if (retry && ticket.capacity != null && (now?.sold ?? 0) < ticket.capacity) continue;
      throw new ApiError('ticket_sold_out', 'This ticket type is sold out', { field: 'ticketTypeId' });
    }
    if (retry && conference.capacity != null && (now?.registered ?? 0) < conference.capacity) continue;
    throw new ApiError('event_full', 'This event is full and is no longer accepting registrations');
  }
}

/** The conference's document and seats taken, and the ticket type's, as committed now. */
function seatsNow(db: Kysely<Database>, conferenceId: string, ticketTypeId: string) {
  return db
    .selectFrom('conferences')
    .leftJoin('ticket_sales', (join) =>
      join.onRef('ticket_sales.conference_id', '=', 'conferences.id').on('ticket_sales.ticket_type_id', '=', ticketTypeId),
    )
    .select(['conferences.doc', 'conferences.registered_count as registered', 'ticket_sales.sold'])
    .where('conferences.id', '=', conferenceId)
    .executeTakeFirst();
}
