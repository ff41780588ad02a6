import { fill, FIELD_MESSAGES } from '../../contract/browser.js';
import type { Config } from '../../contract/index.js';
import type { FieldProblems, Values } from './form-model.js';
import { fieldMessage, type Strings } from './strings/index.js';
import type { RegistrationError } from './transport.js';

/** A failure as the visitor sees it: a message for the summary, problems at fields, and whether "try again" can help. */
export interface Shown {
  message: string | undefined;
  problems: FieldProblems;
  retry: boolean;
}

const key = (path: string) => path.replace(/^customFields\./, '');

/**
 * A server's English field message (contract/browser.ts FIELD_MESSAGES, such as "Must be at
 * most 64 characters") in the widget's language, slots carried over; any other text is shown
 * as the server wrote it.
 */
function translate(message: string, s: Strings): string {
  // The longest templates first: "Must be at most {max}" would also match "… 40 characters".
  const templates = Object.entries(FIELD_MESSAGES).sort((a, b) => b[1].length - a[1].length);
  for (const [name, template] of templates) {
    // Each template has at most one slot: the text before it and after it must match.
    const [before = '', slot, after = ''] = template.split(/\{(\w+)\}/);
    const value = message.slice(before.length, message.length - after.length);
    if (slot ? value && message.startsWith(before) && message.endsWith(after) : message === before) {
      return fill(fieldMessage(s, name), slot ? { [slot]: value } : {});
    }
  }
  return message;
}

/** The plain-language text for each code the proxy or the widget may give (SPEC §5). */
export function explain(error: RegistrationError, config: Config | undefined, values: Values, s: Strings): Shown {
  const problems: FieldProblems = new Map();
  const shown = (message: string | undefined, retry = false): Shown => ({ message, problems, retry });
  switch (error.code) {
    case 'validation_failed': {
      const fields = (error.details?.fields ?? {}) as Record<string, string[]>;
      const known = new Set([
        'ticketTypeId',
        'paymentMethodId',
        'paymentReference',
        'paymentProofUrl',
        ...(config?.fields.map((f) => f.key) ?? []),
      ]);
      let other = false;
      for (const [path, messages] of Object.entries(fields)) {
        if (known.has(key(path))) problems.set(key(path), translate(messages[0] ?? '', s));
        else other = true;
      }
      return shown(other || !problems.size ? s.failed : undefined);
    }
    case 'duplicate_registration':
      return shown(
        fill(s.duplicate, { name: `${values.firstName ?? ''} ${values.lastName ?? ''}`.trim(), email: String(values.email ?? '') }),
      );
    case 'event_full':
      return shown(s.eventFull);
    case 'ticket_sold_out':
      problems.set('ticketTypeId', s.ticketSoldOut);
      return shown(undefined);
    case 'unknown_ticket_type':
      problems.set('ticketTypeId', s.chooseTicket);
      return shown(undefined);
    case 'payment_method_required':
    case 'unknown_payment_method':
      problems.set('paymentMethodId', s.choosePayment);
      return shown(undefined);
    case 'registration_closed':
      return shown(s.closedNow);
    case 'pricing_closed':
      return shown(s.pricingClosed, true);
    case 'rate_limited':
      return shown(fill(s.rateLimited, { seconds: error.retryAfter ?? 60 }), true);
    case 'timeout':
    case 'upstream_timeout':
      return shown(s.timeout, true);
    case 'network_error':
      return shown(s.network, true);
    case 'payload_too_large':
      return shown(s.tooLong);
    case 'origin_not_allowed':
    case 'forbidden_request':
      return shown(s.notAllowed);
    case 'conference_not_live':
    case 'invalid_api_key':
    case 'missing_api_key':
    case 'insufficient_scope':
      return shown(s.unavailable);
    default:
      // 5xx (upstream_unavailable, service_unavailable, internal_error) can pass; other 4xx will not.
      return error.status >= 500 || error.status === 0 ? shown(s.unreachable, true) : shown(s.failed);
  }
}
