import { EMAIL_PATTERN, fill, LIMITS } from '../../contract/browser.js';
import { checkCustomFields } from '../../contract/custom-fields.js';
import type {
  Config,
  ConfigField,
  ConfigPaymentMethod,
  ConfigTicketType,
  CreateRegistrationInput,
  CustomFieldValue,
} from '../../contract/index.js';
import { fieldMessages, type Strings } from './strings/index.js';

/** What the visitor has entered, by field key (`firstName`, `ticketTypeId`, a custom key): raw form values. */
export type Values = Record<string, string | boolean | string[] | undefined>;
/** Messages per field key, in the order the fields are shown. */
export type FieldProblems = Map<string, string>;

export const PAYMENT_KEYS = ['paymentMethodId', 'paymentReference', 'paymentProofUrl'] as const;

const text = (value: Values[string]) => (typeof value === 'string' ? value.trim() : '');

/** The chosen ticket, if it is on the list. */
export function chosenTicket(config: Config, values: Values): ConfigTicketType | undefined {
  return config.ticket_types.find((t) => t.id === values.ticketTypeId);
}

/** A paid ticket needs a payment method (SPEC §2); a free one (price 0) does not. */
export function needsPayment(config: Config, values: Values): boolean {
  return (chosenTicket(config, values)?.price?.amount ?? 0) > 0;
}

export function chosenMethod(config: Config, values: Values): ConfigPaymentMethod | undefined {
  return needsPayment(config, values) ? config.payment_methods.find((m) => m.id === values.paymentMethodId) : undefined;
}

/** The enabled fields as the config lists them: the identity fields, then the organiser's. */
export function shownFields(config: Config): ConfigField[] {
  return config.fields.filter((f) => f.enabled);
}

function customValue(field: ConfigField, raw: Values[string]): CustomFieldValue | undefined {
  switch (field.type) {
    case 'checkbox':
      return raw === true;
    case 'multiselect':
      return Array.isArray(raw) && raw.length ? raw : undefined;
    case 'number':
      // An unparsable entry stays a string so that the check below names it ("Enter a number").
      return text(raw) === '' ? undefined : Number.isFinite(Number(text(raw))) ? Number(text(raw)) : text(raw);
    default:
      return text(raw) || undefined;
  }
}

/** The create body for what is entered (SPEC §2): payment fields only where they apply. */
export function buildBody(config: Config, values: Values): CreateRegistrationInput {
  const body: CreateRegistrationInput = {
    firstName: text(values.firstName),
    lastName: text(values.lastName),
    email: text(values.email),
    ticketTypeId: text(values.ticketTypeId),
  };
  const method = chosenMethod(config, values);
  if (needsPayment(config, values) && text(values.paymentMethodId)) body.paymentMethodId = text(values.paymentMethodId);
  if (method?.reference_required && text(values.paymentReference)) body.paymentReference = text(values.paymentReference);
  if (method?.proof_required && text(values.paymentProofUrl)) body.paymentProofUrl = text(values.paymentProofUrl);
  const custom: Record<string, CustomFieldValue> = {};
  for (const field of shownFields(config).filter((f) => f.custom)) {
    const value = customValue(field, values[field.key]);
    if (value !== undefined) custom[field.key] = value;
  }
  if (Object.keys(custom).length) body.customFields = custom;
  return body;
}

function identityProblem(key: string, value: string, s: Strings): string | undefined {
  if (!value) return s.fieldRequired;
  const max = key === 'email' ? LIMITS.email : LIMITS.name;
  // zod counts UTF-16 code units, as `.length` does.
  if (value.length > max) return fill(s.fieldTooLong, { max });
  if (/\p{Cc}/u.test(value)) return s.fieldFormat;
  if (key === 'email' && !EMAIL_PATTERN.test(value)) return s.fieldEmail;
  return undefined;
}

function isProofUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

/**
 * The checks the servers make, run before sending (SPEC §2 limits, the contract's own
 * custom-field checks), with this language's messages. Returns the problems in display order:
 * ticket, the fields, payment.
 */
export function validate(config: Config, values: Values, s: Strings): FieldProblems {
  const problems: FieldProblems = new Map();
  const body = buildBody(config, values);
  const ticket = chosenTicket(config, values);
  if (!ticket || !ticket.available) problems.set('ticketTypeId', s.chooseTicket);
  const custom = checkCustomFields(config.fields, body.customFields ?? {}, fieldMessages(s));
  for (const field of shownFields(config)) {
    const problem = field.custom
      ? !custom.ok && custom.errors[`customFields.${field.key}`]?.[0]
      : identityProblem(field.key, text(values[field.key]), s);
    if (problem) problems.set(field.key, problem);
  }
  if (needsPayment(config, values)) {
    const method = chosenMethod(config, values);
    if (!method) problems.set('paymentMethodId', s.choosePayment);
    const reference = text(values.paymentReference);
    if (method?.reference_required && !reference) problems.set('paymentReference', s.fieldRequired);
    else if (reference.length > LIMITS.paymentReference)
      problems.set('paymentReference', fill(s.fieldTooLong, { max: LIMITS.paymentReference }));
    const proof = text(values.paymentProofUrl);
    if (method?.proof_required && !proof) problems.set('paymentProofUrl', s.fieldRequired);
    else if (proof && (proof.length > LIMITS.paymentProofUrl || !isProofUrl(proof))) problems.set('paymentProofUrl', s.fieldUrl);
  }
  return problems;
}
