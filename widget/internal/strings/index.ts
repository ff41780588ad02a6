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

const pending = new Map<string, Promise<Strings>>();

/**
 * Fetches a built-in language once. English when its module cannot be had: the page then
 * stays English for that language (browsers keep a failed module import). Waits at most
 * `timeoutMs` (English meanwhile); a module that comes later is kept for the next render.
 */
export function loadStrings(lang: string, timeoutMs = 10_000): Promise<Strings> {
  const code = primary(lang);
  const here = stringsFor(code);
  if (here) return Promise.resolve(here);
  let load = pending.get(code);
  if (!load) {
    load = OTHERS[code]!().then(
      // One text per line in en's key order: the keys repeated in every language would cost bytes.
      (module) => {
        const lines = module.default.trim().split('\n');
        return Object.fromEntries(KEYS.map((key, i) => [key, lines[i]])) as Strings;
      },
      () => en,
    );
    void load.then((strings) => loaded.set(code, strings));
    pending.set(code, load);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Strings>((resolve) => (timer = setTimeout(() => resolve(en), timeoutMs)));
  return Promise.race([load, late]).finally(() => clearTimeout(timer));
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
