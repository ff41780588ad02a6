/**
 * The `<confera-registration>` element (SPEC §5): this module is the one the proxy serves at
 * `/widget/confera-registration.js`. Importing it defines the element; a second copy on the
 * page (another script tag, another URL) finds the name taken and does nothing.
 */
import { ConferaRegistration } from './confera-registration.component.js';

export { ConferaRegistration };
export type { PrefillValue } from './confera-registration.component.js';
export type { Strings } from './internal/strings/index.js';
export type { TransportMode } from './internal/transport.js';
export type * from './events.js';

if (!customElements.get('confera-registration')) customElements.define('confera-registration', ConferaRegistration);

declare global {
  interface HTMLElementTagNameMap {
    'confera-registration': ConferaRegistration;
  }
}
