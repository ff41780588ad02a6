import type { Config, CreateRegistrationInput, Registration } from '../contract/index.js';

/** What `confera-error` carries: the code (SPEC §2–§3, or `network_error`, `timeout`), and the text shown. */
export interface ConferaErrorDetail {
  code: string;
  /** The HTTP status, 0 when there was no answer. */
  status: number;
  /** The message shown to the visitor, in the widget's language. */
  message: string;
  details?: Record<string, unknown>;
}

/** The config has loaded and the widget shows it (the form, or the closed or try-later message). */
export type ConferaReadyEvent = CustomEvent<{ config: Config }>;
/** The visitor submitted a valid form; cancelable: `preventDefault()` stops the submit. */
export type ConferaSubmitEvent = CustomEvent<{ registration: CreateRegistrationInput }>;
/** The registration is stored; it carries the `reference` shown to the visitor. */
export type ConferaSuccessEvent = CustomEvent<{ registration: Registration }>;
/** Loading or submitting failed; the visitor sees `message`, and their input is kept. */
export type ConferaErrorEvent = CustomEvent<{ error: ConferaErrorDetail }>;

declare global {
  interface GlobalEventHandlersEventMap {
    'confera-ready': ConferaReadyEvent;
    'confera-submit': ConferaSubmitEvent;
    'confera-success': ConferaSuccessEvent;
    'confera-error': ConferaErrorEvent;
  }
}
