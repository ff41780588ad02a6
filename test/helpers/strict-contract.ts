import * as z from 'zod';

/**
 * A response schema made strict at every depth. The contract's response schemas are tolerant
 * readers (a field a newer backend adds is dropped, issue 15); our own backend's answers must
 * still fit the contract exactly, so its tests check them with this.
 */
export function strict<T extends z.ZodType>(schema: T): T {
  let made = cache.get(schema);
  if (!made) cache.set(schema, (made = deepStrict(schema)));
  return made as T;
}

const cache = new WeakMap<z.ZodType, z.ZodType>();

function deepStrict(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    return z.strictObject(Object.fromEntries(Object.entries(schema.shape).map(([key, value]) => [key, deepStrict(value as z.ZodType)])));
  }
  if (schema instanceof z.ZodArray) return z.array(deepStrict(schema.element as z.ZodType));
  if (schema instanceof z.ZodOptional) return deepStrict(schema.unwrap() as z.ZodType).optional();
  if (schema instanceof z.ZodNullable) return deepStrict(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodRecord) return z.record(schema.keyType as z.ZodString, deepStrict(schema.valueType as z.ZodType));
  if (schema instanceof z.ZodUnion) return z.union((schema.options as z.ZodType[]).map(deepStrict) as [z.ZodType, ...z.ZodType[]]);
  return schema;
}
