import { createHash, randomInt } from 'node:crypto';

/**
 * The duplicate rule's notion of "the same person" (SPEC §2): trimmed, inner white space
 * collapsed, Unicode NFKC, case-folded. JavaScript has no full case folding; upper- then
 * lower-casing folds the cases that matter here (ß → ss, ﬀ → ff) after NFKC.
 */
export function normaliseName(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/gu, ' ').toUpperCase().toLowerCase().normalize('NFKC');
}

export function identityHash(firstName: string, lastName: string, email: string): string {
  return createHash('sha256').update([firstName, lastName, email].map(normaliseName).join('\u0000')).digest('hex');
}

/** No 0/O, 1/I/L: a reference is read out on the phone and typed from paper. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** `CNF-7K2Q9X`: short, human readable; uniqueness is the database's (a retry on collision). */
export function newReference(): string {
  let out = 'CNF-';
  for (let i = 0; i < 6; i++) out += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return out;
}
