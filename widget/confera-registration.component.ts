import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { fill } from '../contract/browser.js';
import type { Config, Registration } from '../contract/index.js';
import type { ConferaErrorDetail } from './events.js';
import { renderField, renderPayment, renderTickets, type FieldContext } from './internal/fields.js';
import type { Receipt } from './internal/receipt.js';
import { formatDate, formatDateRange, formatPrice } from './internal/format.js';
import {
  buildBody,
  chosenMethod,
  chosenTicket,
  needsPayment,
  shownFields,
  validate,
  type FieldProblems,
  type Values,
} from './internal/form-model.js';
import { explain } from './internal/messages.js';
import { en } from './internal/strings/en.js';
import { loadStrings, stringsFor, type Strings } from './internal/strings/index.js';
import { connect, newIdempotencyKey, RegistrationError, type Connection, type TransportMode } from './internal/transport.js';
import { styles } from './confera-registration.styles.js';

/** Every event of the element: bubbling and composed, so a page hears it outside the shadow root. */
const fire = (target: EventTarget, name: string, detail: unknown, cancelable: boolean) =>
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));

type Phase = 'loading' | 'unavailable' | 'closed' | 'later' | 'full' | 'form' | 'submitting' | 'success';
/** A prefill value: text, a number, a checkbox's boolean, or a multiselect's option values. */
export type PrefillValue = string | number | boolean | string[];

/**
 * @summary A conference registration form, rendered from the conference's config: tickets, payment, every field.
 * @tag confera-registration
 *
 * @slot - Shown by browsers before the widget runs (and to visitors without JavaScript), and again if the form cannot be loaded: put a link to the hosted form here.
 *
 * @fires confera-ready - The config has loaded: `detail.config`.
 * @fires confera-submit - The visitor sent a valid form: `detail.registration` is the body about to be sent. Cancelable.
 * @fires confera-success - The registration is stored: `detail.registration`, with its `reference`.
 * @fires confera-error - Loading or submitting failed: `detail.error` (`code`, `status`, `message` as shown, `details`).
 *
 * @csspart base - The card around everything.
 * @csspart heading - The form's heading (the conference name).
 * @csspart form - The `<form>`.
 * @csspart field - Each field: label, hint, message and control.
 * @csspart label - A field's label or legend.
 * @csspart hint - A field's help text.
 * @csspart input - Each text input, select and textarea.
 * @csspart error - A field's error message.
 * @csspart error-summary - The box listing the problems, at the top of the form.
 * @csspart tickets - The ticket group; `ticket` is each ticket card in it.
 * @csspart ticket - One ticket card.
 * @csspart instructions - The chosen payment method's instructions.
 * @csspart button - The submit button (and the try-again and register-another buttons).
 * @csspart message - The loading, closed, try-later and unavailable messages.
 * @csspart success - The confirmation after registering.
 * @csspart reference - The registration reference in the confirmation.
 *
 * @cssprop [--confera-accent=#2450c8 / #8fb0ff dark] - Buttons, focus rings, the chosen ticket.
 * @cssprop [--confera-accent-text=#fff] - Text on the accent colour.
 * @cssprop [--confera-text=#1c2027 / #e6e8ec dark] - Text.
 * @cssprop [--confera-muted=#555d6b / #a9b0bc dark] - Hints and secondary text.
 * @cssprop [--confera-background=#fff / #181b21 dark] - The card.
 * @cssprop [--confera-field-background=#fff / #22262e dark] - Inputs.
 * @cssprop [--confera-border=#b9c0cb / #535a66 dark] - Borders of the card, inputs and tickets.
 * @cssprop [--confera-error=#b42318 / #ff9a8f dark] - Error messages and the summary.
 * @cssprop [--confera-success=#17663a / #7ee2a8 dark] - The confirmation.
 * @cssprop [--confera-radius=0.5rem] - Corner radius.
 * @cssprop [--confera-spacing=1rem] - The space between fields.
 */
export class ConferaRegistration extends LitElement {
  static override styles = styles;
  /**
   * The reactive properties, declared here rather than with `@property()`/`@state()`: the
   * decorators and their helper cost 0.4 KB gzip of the 16 KB budget (measured, issue 16;
   * docs/decisions.md). The public ones (attribute names beside them) are the element's API;
   * `state: true` ones are internal. The fields below keep their JSDoc for the manifest.
   */
  static override properties = {
    phase: { state: true },
    config: { state: true },
    values: { state: true },
    problems: { state: true },
    endpoint: {},
    transport: {},
    lang: {},
    ticketType: { attribute: 'ticket-type' },
    theme: { reflect: true },
    timeout: { type: Number },
    strings: { attribute: false },
    prefill: { attribute: false },
    prefillFirstName: { attribute: 'prefill-first-name' },
    prefillLastName: { attribute: 'prefill-last-name' },
    prefillEmail: { attribute: 'prefill-email' },
  };

  private phase: Phase = 'loading';
  private config?: Config;
  private values: Values = {};
  private problems: FieldProblems = new Map();
  // `notice`, `registration` and `receipt` are not reactive: each changes only with one that is (phase, problems, values).
  /** The summary's own message (not tied to a field), and whether it offers "try again". */
  private notice?: { message: string; retry: boolean } | undefined;
  private registration?: Registration;
  /** The receipt chosen for upload (SPEC §3c): its name and the fraction sent (1 once attached). */
  private receipt?: Receipt | undefined;
  /** The receipt module, once fetched (null: it could not be had; the receipt is then a link). */
  private receiptPart?: typeof import('./internal/receipt.js') | null;
  /** The upload in progress, stopped when another file replaces it. */
  private upload?: XMLHttpRequest | undefined;

  /** URL of the proxy's registration endpoint, e.g. `https://proxy.example/api/registration`. Required. */
  endpoint = '';
  /** `auto` (CORS, then JSONP when CORS fails at the network level), `cors` or `jsonp`. */
  transport: TransportMode = 'auto';
  /** Language (`de`, `fr-CA`); default: the nearest `lang` attribute, then the browser's. Built in: en, de, fr, es. */
  override lang = '';
  /** Id of the ticket type to preselect. */
  ticketType = '';
  /** `light` or `dark` forces one; `auto` follows the visitor's system; unset follows the page's `color-scheme`. */
  theme: 'light' | 'dark' | 'auto' | undefined;
  /** How long to wait for the proxy, in milliseconds, before offering to try again. */
  timeout = 20_000;
  /** Texts to replace, by key (see `widget/internal/strings/en.ts`); `{name}` slots are filled in. */
  strings: Partial<Strings> = {};
  /** Values to fill in, by field key (`firstName`, `email`, a custom field's key); the visitor can change them. */
  prefill: Record<string, PrefillValue> = {};
  /** Fills in the first name. */
  prefillFirstName = '';
  /** Fills in the last name. */
  prefillLastName = '';
  /** Fills in the e-mail address. */
  prefillEmail = '';

  private connection?: Connection;
  private loads = 0;
  /** One idempotency key per attempt at the same data (SPEC §5): kept for a retry, renewed when the data changes. */
  private attempt?: { data: string; key: string } | undefined;
  /** What takes focus after the next render: the error summary or the success heading. */
  private focusNext?: '.summary' | '.announce' | undefined;
  /** The proxy refuses this page's origin: the unavailable state links to the hosted form. */
  private refused = false;
  /** The language whose strings are on their way, so that each render does not ask again. */
  private awaiting?: string | undefined;

  /** Fetches the config again; what the visitor typed is kept. */
  reload(): Promise<void> {
    return this.load();
  }

  /** Empties the form (prefills come back) and shows it again, as after "register someone else". */
  reset(): void {
    this.attach(); // an upload in progress stops
    this.values = {};
    this.problems = new Map();
    this.notice = undefined;
    this.registration = undefined;
    this.attempt = undefined;
    this.receipt = undefined;
    if (this.config) {
      this.applyPrefill(this.config);
      this.show(this.config);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('endpoint') || changed.has('transport') || changed.has('timeout')) this.connection = undefined;
    // The language may change by `lang` or by the page's own: fetch it once, then show it.
    const language = this.language;
    if (!stringsFor(language) && this.awaiting !== language) {
      this.awaiting = language;
      void loadStrings(language, this.timeout).then(() => {
        this.awaiting = undefined;
        this.requestUpdate();
      });
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('endpoint') || changed.has('transport')) void this.load();
    const target = this.focusNext && this.renderRoot.querySelector<HTMLElement>(this.focusNext);
    if (target) {
      this.focusNext = undefined;
      target.focus();
      target.scrollIntoView?.({ block: 'nearest' });
    }
  }

  private get language(): string {
    return this.lang || this.closest('[lang]')?.getAttribute('lang') || navigator.language || 'en';
  }

  private get text(): Strings {
    return { ...(stringsFor(this.language) ?? en), ...this.strings };
  }

  private emit<T>(name: string, detail: T, cancelable = false): boolean {
    return fire(this, name, detail, cancelable);
  }

  private link(): Connection {
    return (this.connection ??= connect(this.endpoint, this.transport, this.timeout));
  }

  private fail(error: unknown, message: string) {
    const e = error instanceof RegistrationError ? error : new RegistrationError('invalid_response', 0, String(error));
    const detail: ConferaErrorDetail = { code: e.code, status: e.status, message, details: e.details };
    this.emit('confera-error', { error: detail });
  }

  private async load(): Promise<void> {
    const run = ++this.loads;
    this.phase = 'loading';
    const strings = loadStrings(this.language, this.timeout);
    try {
      if (!this.endpoint) throw new RegistrationError('invalid_response', 0, 'no endpoint attribute');
      // The language's module (if not English) comes while the config does.
      const [config] = await Promise.all([this.link().config(), strings]);
      if (run !== this.loads) return;
      this.applyPrefill(config);
      this.show(config);
      this.emit('confera-ready', { config });
    } catch (error) {
      await strings; // the error event says what the visitor is shown, in their language
      if (run !== this.loads) return;
      this.refused = (error as RegistrationError).code === 'origin_not_allowed';
      // For the site's owner, who can fix it; the visitor gets a link to the hosted form.
      if (this.refused) console.warn(`confera: add ${location.origin} to ALLOWED_ORIGINS`);
      this.phase = 'unavailable';
      this.fail(error, this.refused ? this.text.notHere : this.text.loadFailed);
    }
  }

  private show(config: Config) {
    this.config = config;
    // Fetched while the visitor fills in the rest: by the payment step it is here.
    if (this.receiptPart === undefined && config.payment_methods.some((m) => m.proof_required)) {
      this.receiptPart = null;
      import('./internal/receipt.js').then(
        (part) => {
          this.receiptPart = part;
          this.requestUpdate();
        },
        () => {},
      );
    }
    this.phase = !config.public_registration_enabled
      ? 'closed'
      : !config.open_phase
        ? 'later'
        : config.ticket_types.some((t) => t.available)
          ? 'form'
          : 'full';
  }

  /** Prefills and the preselected ticket fill only what the visitor has not entered. */
  private applyPrefill(config: Config) {
    const p = this.prefill;
    const given: Record<string, PrefillValue | undefined> = {
      ...p,
      firstName: this.prefillFirstName || p.firstName,
      lastName: this.prefillLastName || p.lastName,
      email: this.prefillEmail || p.email,
    };
    const values = { ...this.values };
    for (const [key, value] of Object.entries(given)) {
      values[key] ??= typeof value === 'number' ? String(value) : value;
    }
    const available = config.ticket_types.filter((t) => t.available);
    const preselect =
      available.find((t) => t.id === (values.ticketTypeId ?? this.ticketType)) ?? (available.length === 1 ? available[0] : undefined);
    values.ticketTypeId = preselect?.id;
    this.values = values;
  }

  /** One listener for every control (`input` and `change` bubble out of the shadow form). */
  private onInput(event: Event) {
    const control = event.target as HTMLInputElement;
    const name = control.name;
    if (control.type === 'file') {
      if (event.type === 'change') this.attach(control.files?.[0]);
      return;
    }
    if (!name) return;
    let value: Values[string] = control.value;
    if (control.type === 'checkbox') {
      const group = this.renderRoot.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${name}"]`);
      value = group.length > 1 || control.closest('fieldset') ? [...group].filter((c) => c.checked).map((c) => c.value) : control.checked;
    }
    this.values = { ...this.values, [name]: value };
    // A message goes as soon as its field is fixed; new ones wait for the next submit.
    if (this.problems.has(name) && this.config) this.setProblem(name, validate(this.config, this.values, this.text).get(name));
  }

  /** A field's message set or cleared: a new map, so that the change renders. */
  private setProblem(key: string, problem?: string) {
    const problems = new Map(this.problems);
    if (problem) problems.set(key, problem);
    else problems.delete(key);
    this.problems = problems;
  }

  /** The receipt module where a file can be sent: not over JSONP alone. */
  private get uploads() {
    return this.link().jsonp ? undefined : this.receiptPart;
  }

  /** Uploads the chosen receipt (SPEC §3c); a later choice replaces it, and none clears it: the earlier upload stops. */
  private attach(file?: File) {
    this.upload?.abort();
    this.upload = this.uploads?.attach(file, this, this.text, (receipt, url, problem) => {
      this.receipt = receipt;
      this.values = { ...this.values, paymentProofUrl: url };
      this.setProblem('paymentProofUrl', problem);
    });
  }

  private async onSubmit(event: Event) {
    event.preventDefault();
    const config = this.config;
    if (this.phase !== 'form' || !config) return; // a second click while submitting does nothing
    const s = this.text;
    this.notice = undefined;
    this.problems = validate(config, this.values, s);
    if (this.problems.size) {
      this.focusNext = '.summary';
      return;
    }
    const body = buildBody(config, this.values);
    if (!this.emit('confera-submit', { registration: body }, true)) return;
    const data = JSON.stringify(body);
    if (this.attempt?.data !== data) this.attempt = { data, key: newIdempotencyKey() };
    this.phase = 'submitting';
    try {
      const registration = await this.link().submit(body, this.attempt.key);
      this.attempt = undefined;
      this.registration = registration;
      this.phase = 'success';
      this.focusNext = '.announce';
      this.emit('confera-success', { registration });
    } catch (error) {
      const e = error instanceof RegistrationError ? error : new RegistrationError('network_error', 0, String(error));
      const shown = explain(e, config, this.values, s);
      // A definite answer ends the attempt; a retry of a failure that may pass keeps the key.
      if (!shown.retry) this.attempt = undefined;
      if (e.code === 'ticket_sold_out') this.markSoldOut(config, String(this.values.ticketTypeId));
      this.phase = 'form';
      this.problems = shown.problems;
      this.notice = shown.message ? { message: shown.message, retry: shown.retry } : undefined;
      this.focusNext = '.summary';
      this.fail(e, shown.message ?? [...shown.problems.values()].join(' '));
    }
  }

  private markSoldOut(config: Config, id: string) {
    this.config = { ...config, ticket_types: config.ticket_types.map((t) => (t.id === id ? { ...t, available: false } : t)) };
  }

  private focusField(event: Event, key: string) {
    event.preventDefault();
    const root = this.renderRoot as ShadowRoot;
    const target = root.getElementById(`f-${key}`);
    const control =
      target?.tagName === 'FIELDSET'
        ? (target.querySelector<HTMLInputElement>('input:checked:not(:disabled)') ??
          target.querySelector<HTMLInputElement>('input:not(:disabled)'))
        : target;
    control?.focus();
    control?.scrollIntoView?.({ block: 'center' });
  }

  private label(key: string): string {
    const s = this.text;
    const own: Record<string, string> = {
      firstName: s.firstName,
      lastName: s.lastName,
      email: s.email,
      ticketTypeId: s.ticket,
      paymentMethodId: s.payment,
      paymentReference: s.paymentReference,
      paymentProofUrl: this.uploads ? s.receipt : s.paymentProofUrl,
    };
    return own[key] ?? this.config?.fields.find((f) => f.key === key)?.label ?? key;
  }

  override render(): TemplateResult {
    return html`<div class="base ${this.phase}" part="base" lang=${this.lang || nothing}>
      ${this.renderPhase()}
      <div class="fallback"><slot></slot></div>
    </div>`;
  }

  private renderPhase(): TemplateResult {
    const s = this.text;
    const name = this.config?.conference.name ?? '';
    switch (this.phase) {
      case 'loading':
        // No English flash on a German page while its strings come: the spinner alone.
        return html`<p class="status" role="status" part="message">
          <span class="spinner" aria-hidden="true"></span>${stringsFor(this.language) ? s.loading : nothing}
        </p>`;
      case 'unavailable':
        // On a site the proxy refuses, the proxy's own hosted form still works.
        return this.refused
          ? this.renderMessage(
              s.notHere,
              html`<a href=${new URL('/form', new URL(this.endpoint, document.baseURI)).href} target="_blank" part="button"
                >${s.openForm}</a
              >`,
            )
          : this.renderMessage(
              s.loadFailed,
              html`<button type="button" class="secondary" part="button" @click=${this.reload}>${s.retry}</button>`,
            );
      case 'closed':
        return this.renderMessage(fill(s.closed, { conference: name }), nothing, s.closedTitle);
      case 'later':
        return this.renderLater();
      case 'full':
        return this.renderMessage(fill(s.full, { conference: name }), nothing, s.fullTitle);
      case 'success':
        return this.renderSuccess();
      default:
        return this.renderForm();
    }
  }

  private renderMessage(text: string, action: unknown, title?: string): TemplateResult {
    return html`<div part="message">
      ${title ? html`<h2 part="heading">${title}</h2>` : nothing}
      <p>${text}</p>
      ${action}
    </div>`;
  }

  private renderLater(): TemplateResult {
    const s = this.text;
    const config = this.config!;
    const next = config.next_phase;
    const when = next
      ? html`<p>${fill(s.laterOn, { date: formatDate(next.starts_at, this.language, config.conference.timezone) })}</p>`
      : nothing;
    return html`<div part="message">
      <h2 part="heading">${s.laterTitle}</h2>
      ${when}
      <p>${fill(s.later, { conference: config.conference.name })}</p>
    </div>`;
  }

  private renderSummary(): TemplateResult | typeof nothing {
    const s = this.text;
    if (!this.problems.size && !this.notice) return nothing;
    return html`<div class="summary" part="error-summary" tabindex="-1">
      <div role="alert">
        <h3>${s.errorTitle}</h3>
        ${this.notice ? html`<p>${this.notice.message}</p>` : nothing}
        ${
          this.problems.size
            ? html`<ul>
                ${[...this.problems].map(
                  ([key, message]) =>
                    html`<li><a href="#f-${key}" @click=${(e: Event) => this.focusField(e, key)}>${this.label(key)}: ${message}</a></li>`,
                )}
              </ul>`
            : nothing
        }
      </div>
      ${this.notice?.retry ? html`<button type="submit" class="secondary" part="button">${s.retry}</button>` : nothing}
    </div>`;
  }

  private renderForm(): TemplateResult {
    const s = this.text;
    const config = this.config!;
    const ctx: FieldContext = {
      values: this.values,
      problems: this.problems,
      strings: s,
      lang: this.language,
      receipt: this.uploads && (() => this.uploads!.renderReceipt(html, s, this.receipt, this.problems.get('paymentProofUrl'))),
    };
    const fields = shownFields(config);
    const identity = (key: string) => {
      const field = fields.find((f) => f.key === key);
      return field ? renderField(field, this.label(key), ctx) : nothing;
    };
    const submitting = this.phase === 'submitting';
    return html`<h2 part="heading">${fill(s.heading, { conference: config.conference.name })}</h2>
      <p class="dates">${formatDateRange(config.conference.starts_on, config.conference.ends_on, this.language)}</p>
      <form
        id="form"
        part="form"
        novalidate
        @submit=${this.onSubmit}
        @input=${this.onInput}
        @change=${this.onInput}
        aria-busy=${submitting ? 'true' : 'false'}
      >
        ${this.renderSummary()}
        <p class="note">${s.requiredNote}</p>
        ${renderTickets(config, ctx)}
        <div class="names">${identity('firstName')} ${identity('lastName')}</div>
        ${identity('email')} ${fields.filter((f) => f.custom).map((f) => renderField(f, f.label, ctx))}
        ${needsPayment(config, this.values) ? renderPayment(config, chosenMethod(config, this.values), ctx) : nothing}
        <button type="submit" part="button" aria-disabled=${submitting ? 'true' : 'false'}>${s.submit}</button>
        <p class="status" role="status">${submitting ? html`<span class="spinner" aria-hidden="true"></span>${s.submitting}` : nothing}</p>
      </form>`;
  }

  private renderSuccess(): TemplateResult {
    const s = this.text;
    const r = this.registration!;
    const config = this.config!;
    const method = config.payment_methods.find((m) => m.id === r.paymentMethodId);
    const ticket = chosenTicket(config, { ticketTypeId: r.ticketTypeId });
    const price = formatPrice(r.price, this.language, s.free);
    return html`<div class="success" part="success">
      <h2 class="announce" tabindex="-1" part="heading">${s.successTitle}</h2>
      <p>${fill(s.successThanks, { name: r.firstName })}</p>
      <p class="reference" part="reference">${r.reference}</p>
      <p>${fill(s.successTicket, { ticket: ticket?.name ?? r.ticketTypeName, price })}</p>
      ${
        r.status === 'pending_payment' && method
          ? html`<h3>${s.payTitle}</h3>
              ${method.instructions ? html`<p class="instructions" part="instructions">${method.instructions}</p>` : nothing}
              <p>${fill(s.payReference, { reference: r.reference })}</p>`
          : nothing
      }
      <button type="button" class="secondary" part="button" @click=${this.reset}>${s.another}</button>
    </div>`;
  }
}
