import type { FieldMessages } from '../../../contract/browser.js';
import { de } from './de.js';
import { en, type Strings } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { Strings };

/** The built-in languages (SPEC §5: at least en, de, fr, es), by primary language subtag. */
export const LANGUAGES: Record<string, Strings> = { en, de, fr, es };

/** The built-in language for a BCP 47 tag (`de-AT` → de), English when there is none. */
export function stringsFor(lang: string): Strings {
  return LANGUAGES[lang.toLowerCase().split('-')[0]!] ?? en;
}

/** The language's field messages in the shape `checkCustomFields` takes (`fieldTooLong` → `tooLong`). */
export function fieldMessages(strings: Strings): FieldMessages {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(strings)) {
    if (key.startsWith('field')) out[key[5]!.toLowerCase() + key.slice(6)] = text;
  }
  return out as FieldMessages;
}
