import { fixture as mountFixture, html, oneEvent } from '@open-wc/testing';
import '../../widget/confera-registration.js';
import type { ConferaRegistration } from '../../widget/confera-registration.js';

/**
 * Browser-side helpers for the widget suites: a fixture (a conference, a real proxy and the
 * relay in front of it, from test/helpers/widget-fixtures.ts) and a mounted widget.
 */
export interface Served {
  id: string;
  conferenceId: string;
  /** The widget's `endpoint`: the relay in front of the real proxy. */
  endpoint: string;
}

async function control(path: string, body?: unknown): Promise<any> {
  const answer = await fetch(`/__confera/fixture${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!answer.ok) throw new Error(`fixture control ${path}: ${answer.status}`);
  return answer.json();
}

/** A conference of this test's own behind a real proxy; `conference` replaces top-level keys of the test file. */
export function serve(options: { conference?: Record<string, unknown>; rateLimit?: number; timeoutMs?: number } = {}): Promise<Served> {
  return control('', options);
}

/** What the relay in front of the proxy does: pass, strip CORS headers, drop connections, hold answers. */
export function setFront(served: Served, mode: 'pass' | 'strip-cors' | 'down' | 'hold', holdMs = 0): Promise<void> {
  return control(`/${served.id}/front`, { mode, holdMs });
}

/** Answers the backend gives the proxy for the next creates, in order (then the real backend again). */
export function scriptBackend(served: Served, answers: { status: number; body: unknown; headers?: Record<string, string> }[]) {
  return control(`/${served.id}/script`, { answers });
}

/** A merge patch of the conference, applied by the backend's own service. */
export function patchConference(served: Served, patch: Record<string, unknown>) {
  return control(`/${served.id}/conference`, patch);
}

/** The submits the relay saw: method, path, and the idempotency key of each (header or JSONP submissionId). */
export function requestsSeen(served: Served): Promise<{ method: string; path: string; idempotencyKey?: string; submissionId?: string }[]> {
  return control(`/${served.id}/requests`);
}

/** The registrations the backend holds for the conference. */
export function registrationsOf(
  served: Served,
): Promise<{ id: string; reference: string; firstName: string; customFields: Record<string, unknown> }[]> {
  return control(`/${served.id}/registrations`);
}

/** Mounts a widget and waits until it has shown the config (or failed to). */
export async function mount(
  served: Served | { endpoint: string },
  attributes: Record<string, string> = {},
  properties: Partial<ConferaRegistration> = {},
): Promise<ConferaRegistration> {
  const el = document.createElement('confera-registration');
  Object.assign(el, properties);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  const settled = Promise.race([oneEvent(el, 'confera-ready'), oneEvent(el, 'confera-error')]);
  el.setAttribute('endpoint', served.endpoint);
  await mountFixture(html`<div>${el}</div>`);
  await settled;
  await el.updateComplete;
  return el;
}

/** Waits for a condition, checking every 20 ms, up to `ms`. */
export async function until(condition: () => unknown, ms = 5_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const $ = <T extends Element = HTMLElement>(el: ConferaRegistration, selector: string) => el.shadowRoot!.querySelector<T>(selector);
export const $$ = <T extends Element = HTMLElement>(el: ConferaRegistration, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];

/** Types into a field as a person would: value, then `input` and `change`. */
export async function type(el: ConferaRegistration, key: string, value: string): Promise<void> {
  const control = $<HTMLInputElement>(el, `#f-${key}`);
  if (!control) throw new Error(`no field ${key}`);
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  await el.updateComplete;
}

/** Clicks a radio or checkbox by name and value. */
export async function pick(el: ConferaRegistration, name: string, value: string): Promise<void> {
  const input = $$<HTMLInputElement>(el, `input[name="${name}"]`).find((i) => i.value === value);
  if (!input) throw new Error(`no ${name}=${value}`);
  input.click();
  await el.updateComplete;
}

/** Fills the identity fields with a unique person. */
export async function fillPerson(el: ConferaRegistration, n: number | string = 1): Promise<void> {
  await type(el, 'firstName', 'Julie');
  await type(el, 'lastName', `Everett${n}`);
  await type(el, 'email', `julie.everett${n}@example.org`);
}

/** Submits and waits for the widget to settle: success, an error, or its own checks refusing (no event). */
export async function submit(el: ConferaRegistration): Promise<Event | undefined> {
  const settled = Promise.race([oneEvent(el, 'confera-success'), oneEvent(el, 'confera-error')]);
  $<HTMLButtonElement>(el, 'button[type=submit]:not(.secondary)')!.click();
  await el.updateComplete;
  if ($(el, '.summary') && $(el, '[aria-disabled=true]') === null) return undefined;
  const event = await settled;
  await el.updateComplete;
  return event;
}

export const summaryText = (el: ConferaRegistration) => $(el, '.summary')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** A registration made straight through the proxy (as another visitor would), not through the widget. */
export async function registerDirectly(served: Served, body: Record<string, unknown>): Promise<number> {
  const answer = await fetch(served.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return answer.status;
}

/** The values in the identity inputs: proof that nothing typed was lost. */
export const identityValues = (el: ConferaRegistration) =>
  ['firstName', 'lastName', 'email'].map((key) => $<HTMLInputElement>(el, `#f-${key}`)!.value);
