import { css } from 'lit';

/**
 * The widget's styles. Every colour, the radius and the spacing come from `--confera-*`
 * custom properties with defaults here; the font is the page's. Light and dark follow the
 * page's `color-scheme` through `light-dark()` (a light-only page gets a light form even on a
 * dark OS; browsers from before 2024 without it show the page's own colours); `theme="light|dark|auto"` forces one or follows the OS. Only `display` is set on
 * the host (STYLE §5); the card is the `base` part. No `style` attribute anywhere: a page's
 * strict `style-src` allows constructable stylesheets, not inline styles.
 */
export const styles = css`
  :host {
    display: block;
    --_accent: var(--confera-accent, light-dark(#2450c8, #8fb0ff));
    --_on-accent: var(--confera-accent-text, light-dark(#fff, #0d1424));
    --_text: var(--confera-text, light-dark(#1c2027, #e6e8ec));
    --_muted: var(--confera-muted, light-dark(#555d6b, #a9b0bc));
    --_bg: var(--confera-background, light-dark(#fff, #181b21));
    --_field: var(--confera-field-background, light-dark(#fff, #22262e));
    --_border: var(--confera-border, light-dark(#b9c0cb, #535a66));
    --_error: var(--confera-error, light-dark(#b42318, #ff9a8f));
    --_success: var(--confera-success, light-dark(#17663a, #7ee2a8));
    --_radius: var(--confera-radius, 0.5rem);
    --_space: var(--confera-spacing, 1rem);
  }
  :host([hidden]) {
    display: none;
  }
  :host([theme='light']) .base {
    color-scheme: light;
  }
  :host([theme='dark']) .base {
    color-scheme: dark;
  }
  :host([theme='auto']) .base {
    color-scheme: light dark;
  }
  * {
    box-sizing: border-box;
  }
  .base {
    container-type: inline-size;
    font: inherit;
    line-height: 1.5;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 1.25);
  }
  h2,
  h3 {
    font-size: 1.3em;
    line-height: 1.25;
    margin: 0 0 calc(var(--_space) * 0.5);
  }
  h3 {
    font-size: 1.05em;
  }
  p {
    margin: 0 0 calc(var(--_space) * 0.75);
  }
  .dates,
  .hint,
  .note {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .hint {
    display: block;
    margin: 0 0 0.25rem;
  }
  form,
  .names {
    display: grid;
    gap: var(--_space);
  }
  @container (min-width: 30rem) {
    .names {
      grid-template-columns: 1fr 1fr;
    }
  }
  .field {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
    display: grid;
    gap: 0.25rem;
  }
  label,
  legend,
  .ticket-name,
  .price,
  .problem,
  .summary a {
    font-weight: 600;
    padding: 0;
  }
  legend {
    margin-bottom: 0.25rem;
  }
  .mark {
    color: var(--_error);
    margin-inline-start: 0.25em;
  }
  input,
  select,
  textarea,
  button {
    font: inherit;
    color: inherit;
  }
  input:not([type='radio'], [type='checkbox']),
  select,
  textarea {
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    background: var(--_field);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
  }
  input[type='radio'],
  input[type='checkbox'] {
    width: 1.25rem;
    height: 1.25rem;
    margin: 0.15rem 0 0;
    flex: none;
    accent-color: var(--_accent);
  }
  :focus-visible,
  [aria-invalid='true']:not(fieldset) {
    border-color: var(--_error);
    border-width: 2px;
  }
  .choice {
    display: flex;
    gap: 0.6rem;
    align-items: flex-start;
    font-weight: 400;
    padding: 0.2rem 0;
  }
  .tickets {
    gap: 0.5rem;
  }
  .ticket {
    display: flex;
    gap: 0.75rem;
    align-items: flex-start;
    font-weight: 400;
    padding: 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
  }
  .ticket:has(:checked) {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
  }
  .ticket.gone {
    cursor: not-allowed;
    color: var(--_muted);
    border-style: dashed;
  }
  .ticket-body {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0 0.75rem;
    flex: 1;
  }
  .ticket-body .hint {
    grid-column: 1 / -1;
  }
  .instructions {
    margin: 0 0 0.25rem 1.85rem;
    padding: 0.5rem 0.75rem;
    border-left: 3px solid var(--_accent);
    white-space: pre-line;
    font-size: 0.95em;
  }
  .problem,
  .summary a {
    color: var(--_error);
    margin: 0;
  }
  .summary {
    border: 3px solid var(--_error);
    border-radius: var(--_radius);
    padding: var(--_space);
  }
  .summary ul {
    margin: 0;
    padding-left: 1.25rem;
  }
  button,
  a[part='button'] {
    display: inline-block;
    text-decoration: none;
    justify-self: start;
    min-height: 2.75rem;
    padding: 0.6rem 1.4rem;
    font-weight: 600;
    color: var(--_on-accent);
    background: var(--_accent);
    border: 0;
    border-radius: var(--_radius);
    cursor: pointer;
  }
  button.secondary {
    color: var(--_accent);
    background: transparent;
    border: 2px solid var(--_accent);
  }
  button[aria-disabled='true'] {
    opacity: 0.65;
    cursor: progress;
  }
  .status {
    display: flex;
    gap: 0.6rem;
    align-items: center;
  }
  .spinner {
    width: 1.1rem;
    height: 1.1rem;
    border: 3px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    flex: none;
  }
  /* It turns only for those who have not asked for less motion; for them it stands still. */
  @media (prefers-reduced-motion: no-preference) {
    .spinner {
      animation: spin 0.8s linear infinite;
    }
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  .success h2 {
    color: var(--_success);
  }
  .reference {
    display: inline-block;
    font-size: 1.6em;
    font-weight: 700;
    letter-spacing: 0.06em;
    margin: 0 0 calc(var(--_space) * 0.75);
    padding: 0.2rem 0.75rem;
    border: 2px dashed var(--_success);
    border-radius: var(--_radius);
    user-select: all;
  }
  .fallback {
    display: none;
  }
  .unavailable .fallback {
    display: block;
  }
`;
