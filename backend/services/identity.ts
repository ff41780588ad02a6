import { createHash, randomInt } from 'node:crypto';
import { normaliseName } from '../../contract/names.js';

/** The duplicate rule's key (SPEC §2): one person per conference, names compared as contract/names.ts says. */
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
