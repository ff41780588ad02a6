/**
 * Names as the duplicate rule sees them (SPEC §2, issue 15 item 6). Plain functions, no zod
 * and no Node, so that the widget can check a name exactly as the servers do.
 */

/**
 * Code points that render as nothing (U+200B zero-width space, U+200D joiner, U+00AD soft
 * hyphen, variation selectors, …): "Jo\u200Bsé" looks like "José" and must compare like it.
 */
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). They reorder
 * the text around them ("Trojan Source"), so a name could read differently in a listing, a
 * CSV or an e-mail than it was typed; they are refused, not silently removed. The marks
 * U+200E/U+200F/U+061C reorder nothing of their own and are stripped as ignorables.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;

/** `value` without its default-ignorable code points. */
export function stripIgnorable(value: string): string {
  return value.replace(DEFAULT_IGNORABLE, '');
}

/** Whether `value` holds a bidirectional embedding, override or isolate control. */
export function hasBidiControl(value: string): boolean {
  return BIDI_CONTROL.test(value);
}

const DOTLESS_I = 'ı';

/**
 * Full Unicode case folding (CaseFolding.txt, statuses C and F), which JavaScript lacks.
 * Lower, upper, lower again: lowering first turns ẞ into ß, which upper-casing expands to
 * SS (upper-casing alone leaves ẞ as it is, and "STRAUẞ" would miss "Strauß"). Two places
 * where that round trip and the real folding part ways are put right: dotless ı folds to
 * itself, not to i (the round trip goes through I), and final ς folds to σ (toLowerCase
 * picks ς or σ by position). For every single code point the result then falls in the same
 * class as Unicode 14's full folding (compared against Python's str.casefold); the chosen
 * letter may differ (Cherokee folds to lower case here, to upper case there).
 */
export function caseFold(value: string): string {
  return value
    .split(DOTLESS_I)
    .map((part) => part.toLowerCase().toUpperCase().toLowerCase().replace(/ς/gu, 'σ'))
    .join(DOTLESS_I);
}

/**
 * The duplicate rule's key for one name or e-mail (SPEC §2): NFKC (fullwidth letters, ﬃ),
 * default ignorables removed, trimmed, inner white space collapsed, case-folded, and NFKC
 * again, because folding can leave a decomposed letter behind (ΐ).
 */
export function normaliseName(value: string): string {
  const visible = stripIgnorable(value.normalize('NFKC')).trim().replace(/\s+/gu, ' ');
  return caseFold(visible).normalize('NFKC');
}
