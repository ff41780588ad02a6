import type { Price } from '../../contract/index.js';

/** A price in minor units as the widget's language writes it (`149,00 €`), or "Free" for 0. */
export function formatPrice(price: Price, lang: string, free: string): string {
  if (price.amount === 0) return free;
  try {
    const format = new Intl.NumberFormat(lang, { style: 'currency', currency: price.currency });
    // Minor units per currency: cents for EUR, none for JPY (ISO 4217, as Intl knows it).
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(price.amount / 10 ** digits);
  } catch {
    return `${(price.amount / 100).toFixed(2)} ${price.currency}`;
  }
}

/** A date or instant in the conference's time zone, written out (`1 March 2027`). */
export function formatDate(value: string, lang: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone }).format(new Date(value));
  } catch {
    return value;
  }
}

/** The conference's dates (`10–12 May 2027`); dates are calendar days, so they are read in UTC. */
export function formatDateRange(from: string, to: string, lang: string): string {
  try {
    const format = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' });
    return format.formatRange(new Date(from), new Date(to));
  } catch {
    return `${from} – ${to}`;
  }
}
