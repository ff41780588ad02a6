/** The typed client of the Confera Public API v1 (SPEC §4). */
export { createConferaPublicClient, ClientOptions } from './client.js';
export type { ConferaPublicClient, CreateOptions, ListOptions } from './client.js';
export { ConferaApiError, isConferaApiError } from './errors.js';
export type { ClientErrorCode } from './errors.js';
export type { FetchLike } from './http.js';
export type {
  Config,
  ConfigResponse,
  CreateRegistration,
  CreateRegistrationInput,
  Registration,
  RegistrationList,
  RegistrationResponse,
} from '../contract/index.js';
