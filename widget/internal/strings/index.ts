import { FIELD_MESSAGES, type FieldMessages } from '../../../contract/browser.js';
import { en, type Strings } from './en.js';

export type { Strings };

/**
 * The built-in languages beyond English (SPEC §5: en, de, fr, es), by primary language
 * subtag. Each is a small module of its own beside the bundle, fetched when a widget first
 * speaks it: inline, the three cost 2.9 KB gzip of the bundle's 16 KB budget (issue 16) for
 * pages that use one language. English is inline: the fallback, and the keys of every other.
 */
const OTHERS: Record<string, () => Promise<{ default: string }>> = {
  de: () => import('./de.js'),
  fr: () => import('./fr.js'),
  es: () => import('./es.js'),
};
const KEYS = Object.keys(en) as (keyof Strings)[];
const loaded = new Map<string, Strings>([['en', en]]);

const primary = (lang: string) => lang.toLowerCase().split('-')[0]!;

/**
 * The strings for a BCP 47 tag (`de-AT` → de): English for a language not built in, and
 * undefined for a built-in one not fetched yet (`loadStrings`).
 */
export function stringsFor(lang: string): Strings | undefined {
  const code = primary(lang);
  return loaded.get(code) ?? (Object.hasOwn(OTHERS, code) ? undefined : en);
}

/** Fetches a built-in language once; English when its module cannot be had (tried again next time). */
export async function loadStrings(lang: string): Promise<Strings> {
  const code = primary(lang);
  const here = stringsFor(code);
  if (here) return here;
  try {
    // One text per line in en's key order: the keys repeated in every language would cost bytes.
    const lines = (await OTHERS[code]!()).default.trim().split('\n');
    const strings = Object.fromEntries(KEYS.map((key, i) => [key, lines[i]])) as Strings;
    loaded.set(code, strings);
    return strings;
  } catch {
    return en;
  }
}

/** The language's field messages in the shape `checkCustomFields` takes (`fieldTooLong` → `tooLong`). */
export function fieldMessages(strings: Strings): FieldMessages {
  const out: Record<string, string> = {};
  for (const name of Object.keys(FIELD_MESSAGES)) out[name] = fieldMessage(strings, name);
  return out as FieldMessages;
}

/** The language's text for a field message (`tooLong` → `fieldTooLong`), `fieldFormat` for a generic one. */
export function fieldMessage(strings: Strings, name: string): string {
  return strings[`field${name[0]!.toUpperCase()}${name.slice(1)}` as keyof Strings] ?? strings.fieldFormat;
}
