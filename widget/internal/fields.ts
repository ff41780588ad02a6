import { html, nothing, type TemplateResult } from 'lit';
import { fill, LIMITS } from '../../contract/browser.js';
import type { Config, ConfigField, ConfigPaymentMethod } from '../../contract/index.js';
import { formatPrice } from './format.js';
import type { FieldProblems, Values } from './form-model.js';
import type { Strings } from './strings/index.js';

/**
 * The form's controls as pure templates of (field, value, problem): native elements, each
 * with a real `<label>` (or a `<legend>` for a group), its hint and its message tied by
 * `aria-describedby`, and the limits as attributes. The element listens on the form for
 * `input`/`change` (one delegated listener), so nothing here holds a handler. Ids live in the
 * element's shadow root, so several widgets on one page never clash.
 */

export interface FieldContext {
  values: Values;
  problems: FieldProblems;
  strings: Strings;
  lang: string;
  /**
   * The receipt's file input (SPEC §3c, widget/internal/receipt.ts), where a file can be sent:
   * absent over JSONP alone, or when its module could not be had; the receipt is then a link.
   */
  receipt?: (() => TemplateResult) | null | undefined;
}

const AUTOCOMPLETE: Record<string, string> = { firstName: 'given-name', lastName: 'family-name', email: 'email' };
const INPUT_TYPES = new Set(['text', 'email', 'tel', 'url', 'number', 'date']);

const describedBy = (key: string, hint: unknown, problem: unknown) =>
  [hint ? `h-${key}` : '', problem ? `e-${key}` : ''].filter(Boolean).join(' ') || nothing;

const str = (value: Values[string]) => (typeof value === 'string' ? value : '');

/** The label text, with the required mark (the `required` attribute tells assistive technology). */
function labelText(text: string, required: boolean): TemplateResult {
  return html`${text}${required ? html`<span class="mark" aria-hidden="true">*</span>` : nothing}`;
}

function hintOf(key: string, hint: string | undefined) {
  return hint ? html`<p class="hint" id="h-${key}" part="hint">${hint}</p>` : nothing;
}

export function problemOf(key: string, problem: string | undefined) {
  return problem ? html`<p class="problem" id="e-${key}" part="error">${problem}</p>` : nothing;
}

/** One configured field (identity or custom) by its type (SPEC §2). */
export function renderField(field: ConfigField, label: string, ctx: FieldContext): TemplateResult {
  const { key, required } = field;
  const value = ctx.values[key];
  const problem = ctx.problems.get(key);
  const hint = field.help_text;
  const aria = describedBy(key, hint, problem);
  const invalid = problem ? 'true' : nothing;
  const minmax = (v: ConfigField['min']) => (v === undefined ? nothing : String(v));

  if (field.type === 'radio' || field.type === 'multiselect') {
    const multiple = field.type === 'multiselect';
    const chosen = multiple ? (Array.isArray(value) ? value : []) : [str(value)];
    return html`<fieldset class="field" part="field" id="f-${key}" aria-describedby=${aria} aria-invalid=${invalid}>
      <legend part="label">${labelText(label, required)}</legend>
      ${hintOf(key, hint)} ${problemOf(key, problem)}
      ${(field.options ?? []).map(
        (o, i) =>
          html`<label class="choice"
            ><input
              type=${multiple ? 'checkbox' : 'radio'}
              name=${key}
              id=${i === 0 ? `c-${key}` : nothing}
              .value=${o.value}
              .checked=${chosen.includes(o.value)}
              ?required=${required && !multiple}
            /><span>${o.label}</span></label
          >`,
      )}
    </fieldset>`;
  }

  let control: TemplateResult;
  if (field.type === 'checkbox') {
    return html`<div class="field" part="field">
      ${problemOf(key, problem)}
      <label class="choice"
        ><input
          type="checkbox"
          name=${key}
          id="f-${key}"
          .checked=${value === true}
          ?required=${required}
          aria-describedby=${aria}
          aria-invalid=${invalid}
        /><span part="label">${labelText(label, required)}</span></label
      >
      ${hintOf(key, hint)}
    </div>`;
  } else if (field.type === 'select') {
    control = html`<select name=${key} id="f-${key}" ?required=${required} aria-describedby=${aria} aria-invalid=${invalid} part="input">
      <option value="" ?selected=${!str(value)}>${ctx.strings.choose}</option>
      ${(field.options ?? []).map((o) => html`<option .value=${o.value} ?selected=${str(value) === o.value}>${o.label}</option>`)}
    </select>`;
  } else if (field.type === 'textarea') {
    control = html`<textarea
      name=${key}
      id="f-${key}"
      rows="4"
      .value=${str(value)}
      ?required=${required}
      maxlength=${field.max_length ?? nothing}
      placeholder=${field.placeholder ?? nothing}
      aria-describedby=${aria}
      aria-invalid=${invalid}
      part="input"
    ></textarea>`;
  } else {
    control = html`<input
      type=${INPUT_TYPES.has(field.type) ? field.type : 'text'}
      name=${key}
      id="f-${key}"
      .value=${str(value)}
      ?required=${required}
      maxlength=${field.max_length ?? nothing}
      min=${minmax(field.min)}
      max=${minmax(field.max)}
      step=${field.type === 'number' ? 'any' : nothing}
      pattern=${field.pattern ?? nothing}
      placeholder=${field.placeholder ?? nothing}
      autocomplete=${AUTOCOMPLETE[key] ?? (field.type === 'tel' || field.type === 'url' ? field.type : nothing)}
      inputmode=${field.type === 'number' ? 'decimal' : nothing}
      aria-describedby=${aria}
      aria-invalid=${invalid}
      part="input"
    />`;
  }
  return html`<div class="field" part="field">
    <label for="f-${key}" part="label">${labelText(label, required)}</label>
    ${hintOf(key, hint)} ${problemOf(key, problem)} ${control}
  </div>`;
}

/** The ticket types as a radio group of cards: price in the open phase, sold-out ones disabled (SPEC §5). */
export function renderTickets(config: Config, ctx: FieldContext): TemplateResult {
  const s = ctx.strings;
  const problem = ctx.problems.get('ticketTypeId');
  return html`<fieldset
    class="field tickets"
    part="field tickets"
    id="f-ticketTypeId"
    aria-describedby=${problem ? 'e-ticketTypeId' : nothing}
    aria-invalid=${problem ? 'true' : nothing}
  >
    <legend part="label">${labelText(s.ticket, true)}</legend>
    ${problemOf('ticketTypeId', problem)}
    ${config.ticket_types.map(
      (t, i) =>
        html`<label class="ticket ${t.available ? '' : 'gone'}" part="ticket"
          ><input
            type="radio"
            name="ticketTypeId"
            id=${i === 0 ? 'c-ticketTypeId' : nothing}
            .value=${t.id}
            .checked=${ctx.values.ticketTypeId === t.id}
            ?disabled=${!t.available}
            required
          /><span class="ticket-body"
            ><span class="ticket-name">${t.name}</span>
            <span class="price">${t.available ? (t.price ? formatPrice(t.price, ctx.lang, s.free) : nothing) : s.soldOut}</span>
            ${t.description ? html`<span class="hint">${t.description}</span>` : nothing}
            ${t.available && t.remaining !== undefined ? html`<span class="hint">${fill(s.remaining, { n: t.remaining })}</span>` : nothing}</span
          ></label
        >`,
    )}
  </fieldset>`;
}

/** Payment methods with their instructions, then the reference and proof fields the chosen one requires. */
export function renderPayment(config: Config, method: ConfigPaymentMethod | undefined, ctx: FieldContext): TemplateResult {
  const s = ctx.strings;
  const problem = ctx.problems.get('paymentMethodId');
  const text = (key: string, label: string, type: string, max: number, hint?: string) =>
    renderField(
      {
        key,
        label,
        type: type as ConfigField['type'],
        enabled: true,
        required: true,
        max_length: max,
        ...(hint ? { help_text: hint } : {}),
      },
      label,
      ctx,
    );
  return html`<fieldset
      class="field"
      part="field"
      id="f-paymentMethodId"
      aria-describedby=${problem ? 'e-paymentMethodId' : nothing}
      aria-invalid=${problem ? 'true' : nothing}
    >
      <legend part="label">${labelText(s.payment, true)}</legend>
      ${problemOf('paymentMethodId', problem)}
      ${config.payment_methods.map(
        (m, i) =>
          html`<label class="choice"
              ><input
                type="radio"
                name="paymentMethodId"
                id=${i === 0 ? 'c-paymentMethodId' : nothing}
                .value=${m.id}
                .checked=${method?.id === m.id}
                required
              /><span>${m.name}</span></label
            >
            ${method?.id === m.id && m.instructions ? html`<p class="instructions" part="instructions">${m.instructions}</p>` : nothing}`,
      )}
    </fieldset>
    ${method?.reference_required ? text('paymentReference', s.paymentReference, 'text', LIMITS.paymentReference, s.paymentReferenceHint) : nothing}
    ${
      method?.proof_required
        ? (ctx.receipt?.() ?? text('paymentProofUrl', s.paymentProofUrl, 'url', LIMITS.paymentProofUrl, s.receiptLink))
        : nothing
    }`;
}
