import type { Config, CreateRegistration, FieldErrors, PubRegistration, Registration } from '../contract/index.js';

/**
 * Seed 004's resource onto the Confera create call and back (SPEC §3b, docs/decisions.md
 * "Seed-004 resource"): pure functions, so that the mapping is tested on its own.
 */

/** Drops the keys whose value is undefined, keeping the order of the others. */
function defined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/**
 * The create body: the identity fields and `region` at the top, every other Contact field,
 * the Employment fields flattened, and `Comments` in `customFields` under their camelCase
 * names. An empty value is sent as it came: the backend decides (and refuses a field the
 * conference has not configured), nothing is dropped here.
 */
export function toCreateRegistration(input: PubRegistration, context: { region: string; ticketTypeId: string }): CreateRegistration {
  const contact = input.Contact;
  const employment = contact.Employment ?? {};
  const customFields: Record<string, string> = defined({
    phoneWork: contact.PhoneWork,
    phoneHome: contact.PhoneHome,
    mobile: contact.Mobile,
    organisationName: employment.OrganisationName,
    position: employment.Position,
    department: employment.Department,
    businessUnit: employment.BusinessUnit,
    specialDiet: contact.SpecialDiet,
    disability: contact.Disability,
    code: contact.Code,
    comments: input.Comments,
  }) as Record<string, string>;
  return {
    firstName: contact.FirstName,
    lastName: contact.LastName,
    email: contact.Email,
    ticketTypeId: context.ticketTypeId,
    region: context.region,
    ...(Object.keys(customFields).length > 0 ? { customFields } : {}),
  };
}

/**
 * The stored registration in seed 004's shape (its 200 answer): the Contact fields and
 * `Comments` as the backend kept them (trimmed; an empty optional value is not kept), in
 * seed 004's order, so that its documented example answers byte for byte.
 */
export function toPubRegistration(registration: Registration): PubRegistration {
  const custom = registration.customFields;
  const text = (key: string) => {
    const value = custom[key];
    return typeof value === 'string' ? value : undefined;
  };
  const employment = defined({
    OrganisationName: text('organisationName'),
    Position: text('position'),
    Department: text('department'),
    BusinessUnit: text('businessUnit'),
  });
  const contact = defined({
    FirstName: registration.firstName,
    LastName: registration.lastName,
    Email: registration.email,
    PhoneWork: text('phoneWork'),
    PhoneHome: text('phoneHome'),
    Mobile: text('mobile'),
    Employment: Object.keys(employment).length > 0 ? employment : undefined,
    SpecialDiet: text('specialDiet'),
    Disability: text('disability'),
    Code: text('code'),
  });
  return defined({ Contact: contact, Comments: text('comments') });
}

/** The backend's field paths by seed-004 path. */
const PUB_PATHS: ReadonlyMap<string, string> = new Map([
  ['firstName', 'Contact.FirstName'],
  ['lastName', 'Contact.LastName'],
  ['email', 'Contact.Email'],
  ['customFields.phoneWork', 'Contact.PhoneWork'],
  ['customFields.phoneHome', 'Contact.PhoneHome'],
  ['customFields.mobile', 'Contact.Mobile'],
  ['customFields.organisationName', 'Contact.Employment.OrganisationName'],
  ['customFields.position', 'Contact.Employment.Position'],
  ['customFields.department', 'Contact.Employment.Department'],
  ['customFields.businessUnit', 'Contact.Employment.BusinessUnit'],
  ['customFields.specialDiet', 'Contact.SpecialDiet'],
  ['customFields.disability', 'Contact.Disability'],
  ['customFields.code', 'Contact.Code'],
  ['customFields.comments', 'Comments'],
]);

/** The backend's `details.fields` with seed-004 paths (`customFields.phoneWork` → `Contact.PhoneWork`); others unchanged. */
export function toPubFieldErrors(fields: FieldErrors): FieldErrors {
  const mapped = new Map<string, string[]>();
  for (const [path, messages] of Object.entries(fields)) {
    const pubPath = PUB_PATHS.get(path) ?? path;
    mapped.set(pubPath, [...(mapped.get(pubPath) ?? []), ...messages]);
  }
  return Object.fromEntries(mapped);
}

export type TicketChoice =
  | { ok: true; ticketTypeId: string }
  /** `closed`: public registration is off; `pricing_closed`: no open phase; `payment_required`: no free ticket type. */
  | { ok: false; reason: 'closed' | 'pricing_closed' | 'payment_required' };

/**
 * The ticket type a seed-004 registration takes: this resource has no ticket or payment
 * fields, so only a free one fits. The first free one still available, else the first free
 * one (the backend then answers `ticket_sold_out`, which this resource calls EventFull).
 */
export function chooseFreeTicket(config: Config): TicketChoice {
  if (!config.public_registration_enabled) return { ok: false, reason: 'closed' };
  if (config.open_phase === null) return { ok: false, reason: 'pricing_closed' };
  const free = config.ticket_types.filter((ticket) => ticket.price?.amount === 0);
  const ticket = free.find((t) => t.available) ?? free[0];
  return ticket ? { ok: true, ticketTypeId: ticket.id } : { ok: false, reason: 'payment_required' };
}
