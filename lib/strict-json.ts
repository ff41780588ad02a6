/** A lone UTF-16 surrogate (`"\ud800"` is valid JSON syntax, but not text). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * A JSON.parse reviver for every body and payload a server takes (backend and proxy alike):
 * strings must be well-formed Unicode (I-JSON, RFC 7493), or a lone surrogate would be stored
 * as U+FFFD and differ from what the duplicate rule hashed; and a `__proto__` key is refused,
 * since schemas drop it silently (zod does), so an unknown custom field would slip through.
 */
export function strictJsonReviver(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('The JSON holds a __proto__ key');
  if (LONE_SURROGATE.test(key) || (typeof value === 'string' && LONE_SURROGATE.test(value))) {
    throw new SyntaxError('The JSON holds a string that is not well-formed Unicode');
  }
  return value;
}
