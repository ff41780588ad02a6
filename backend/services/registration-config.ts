import type { Conference, Config, ConfigField, ConfigPhase, Phase, TicketType } from '../../contract/index.js';
import { DEFAULT_MAX_LENGTH, LIMITS, TEXT_TYPES } from '../../contract/index.js';

/** Registrations and tickets sold so far, read in the same transaction as the decision. */
export interface Sales {
  registered: number;
  soldByTicket: Map<string, number>;
}

/** "keys stop working automatically" when the conference is not live or its plan ended (seed 000). */
export function isLive(conference: Conference, now: Date): boolean {
  return conference.status === 'live' && (!conference.plan_ends_at || now.getTime() < Date.parse(conference.plan_ends_at));
}

/** Open for registration: public registration enabled and the closing time not passed (SPEC §2). */
export function isRegistrationOpen(conference: Conference, now: Date): boolean {
  return (
    conference.public_registration_enabled &&
    (!conference.registration_closes_at || now.getTime() < Date.parse(conference.registration_closes_at))
  );
}

/** The pricing phase whose window [starts_at, ends_at) holds `now`; phases never overlap. */
export function openPhase(conference: Conference, now: Date): Phase | null {
  const t = now.getTime();
  return conference.phases.find((p) => Date.parse(p.starts_at) <= t && t < Date.parse(p.ends_at)) ?? null;
}

/** The first phase that starts after `now`: when pricing is closed, a form can say when it opens. */
export function nextPhase(conference: Conference, now: Date): Phase | null {
  const t = now.getTime();
  const later = conference.phases.filter((p) => Date.parse(p.starts_at) > t);
  return later.sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at))[0] ?? null;
}

/** Seats left for a ticket type: the smaller of its own and the conference's; null = unlimited. */
export function remainingSeats(conference: Conference, ticket: TicketType, sales: Sales): number | null {
  const limits: number[] = [];
  if (conference.capacity != null) limits.push(conference.capacity - sales.registered);
  if (ticket.capacity != null) limits.push(ticket.capacity - (sales.soldByTicket.get(ticket.id) ?? 0));
  return limits.length ? Math.max(0, Math.min(...limits)) : null;
}

const IDENTITY_FIELDS: ConfigField[] = [
  { key: 'firstName', label: 'First name', type: 'text', enabled: true, required: true, max_length: LIMITS.name },
  { key: 'lastName', label: 'Last name', type: 'text', enabled: true, required: true, max_length: LIMITS.name },
  { key: 'email', label: 'E-mail', type: 'email', enabled: true, required: true, max_length: LIMITS.email },
];

/** Every field in display order: the identity fields first, then the organiser's (custom). */
export function configFields(conference: Conference): ConfigField[] {
  const custom = conference.fields.map(({ enabled, required, ...field }): ConfigField => ({
    ...field,
    enabled,
    required,
    custom: true,
    ...(field.max_length === undefined && TEXT_TYPES.has(field.type) ? { max_length: DEFAULT_MAX_LENGTH } : {}),
  }));
  return [...IDENTITY_FIELDS, ...custom];
}

function toConfigPhase(phase: Phase): ConfigPhase {
  return { id: phase.id, name: phase.name, starts_at: phase.starts_at, ends_at: phase.ends_at };
}

/**
 * The config of SPEC §2. While a phase is open, ticket types without a price in it are not on
 * sale and are left out; with no open phase every type is listed with `price: null`.
 */
export function buildConfig(conference: Conference, sales: Sales, now: Date): Config {
  const phase = openPhase(conference, now);
  const tickets = conference.ticket_types.filter((t) => !phase || t.prices[phase.id] !== undefined);
  return {
    conference: {
      id: conference.id,
      name: conference.name,
      starts_on: conference.starts_on,
      ends_on: conference.ends_on,
      timezone: conference.timezone,
      currency: conference.currency,
    },
    public_registration_enabled: isRegistrationOpen(conference, now),
    open_phase: phase ? toConfigPhase(phase) : null,
    // Only while pricing is closed: "tickets go on sale on …" (docs/decisions.md).
    ...(!phase && nextPhase(conference, now) ? { next_phase: toConfigPhase(nextPhase(conference, now)!) } : {}),
    ticket_types: tickets.map((ticket) => {
      const remaining = remainingSeats(conference, ticket, sales);
      return {
        id: ticket.id,
        name: ticket.name,
        ...(ticket.description ? { description: ticket.description } : {}),
        price: phase ? { amount: ticket.prices[phase.id]!, currency: conference.currency } : null,
        available: remaining === null || remaining > 0,
        ...(conference.show_remaining && remaining !== null ? { remaining } : {}),
      };
    }),
    payment_methods: conference.payment_methods
      .filter((m) => m.active)
      .map((m) => ({
        id: m.id,
        name: m.name,
        kind: m.kind,
        ...(m.instructions ? { instructions: m.instructions } : {}),
        reference_required: m.reference_required,
        proof_required: m.proof_required,
      })),
    fields: configFields(conference),
  };
}
