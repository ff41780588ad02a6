import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mergePatch } from '../../../backend/services/conferences.js';

/** JSON as `conference update --file` reads it: JSON.parse makes `__proto__` an ordinary key. */
const json = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
const key = fc.oneof(fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor'), fc.string({ maxLength: 3 }));
/** A patch: mostly objects, with `null`s that remove, nested, and sometimes a bare value. */
const patch: fc.Arbitrary<unknown> = fc
  .letrec<{ patch: unknown }>((tie) => ({
    patch: fc.oneof(
      { weight: 1, arbitrary: json },
      { weight: 3, arbitrary: fc.dictionary(key, fc.oneof(fc.constant(null), json, tie('patch')), { maxKeys: 4 }) },
    ),
  }))
  .patch.map((value) => JSON.parse(JSON.stringify(value)) as unknown);
const target = fc.oneof(json, fc.dictionary(key, json, { maxKeys: 4 })).map((value) => JSON.parse(JSON.stringify(value)) as unknown);

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const hasNull = (value: unknown): boolean =>
  value === null || (typeof value === 'object' && Object.values(value as object).some((inner) => hasNull(inner)));

describe('mergePatch (RFC 7396)', () => {
  // The examples of RFC 7396, Appendix A.
  const examples: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [from, change, expected] of examples) {
    it(`turns ${JSON.stringify(from)} patched with ${JSON.stringify(change)} into ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(mergePatch(from, change), expected);
    });
  }

  it('is idempotent: the same patch twice is the patch once', () => {
    fc.assert(fc.property(target, patch, (t, p) => isDeepStrictEqual(mergePatch(mergePatch(t, p), p), mergePatch(t, p))));
  });

  it('replaces the target with a patch that is not an object', () => {
    fc.assert(
      fc.property(
        target,
        json.filter((p) => !isObject(p)),
        (t, p) => mergePatch(t, p) === p,
      ),
    );
  });

  it('removes each key patched with null and keeps each key the patch does not name', () => {
    fc.assert(
      fc.property(target.filter(isObject), patch.filter(isObject), (t, p) => {
        const result = mergePatch(t, p) as Record<string, unknown>;
        return (
          Object.keys(p).every((k) => (p[k] === null ? !Object.hasOwn(result, k) : Object.hasOwn(result, k))) &&
          Object.keys(t)
            .filter((k) => !Object.hasOwn(p, k))
            .every((k) => isDeepStrictEqual(result[k], t[k]))
        );
      }),
    );
  });

  it('patches key by key as it patches all at once', () => {
    fc.assert(
      fc.property(target, patch.filter(isObject), (t, p) => {
        const stepwise = Object.entries(p).reduce((acc, entry) => mergePatch(acc, Object.fromEntries([entry])), mergePatch(t, {}));
        return isDeepStrictEqual(stepwise, mergePatch(t, p));
      }),
    );
  });

  it('changes nothing when a document without null patches itself', () => {
    fc.assert(
      fc.property(
        target.filter((t) => !hasNull(t)),
        (t) => isDeepStrictEqual(mergePatch(t, t), t),
      ),
    );
  });

  it('leaves its arguments as they were', () => {
    fc.assert(
      fc.property(target, patch, (t, p) => {
        const [before, patchBefore] = [structuredClone(t), structuredClone(p)];
        mergePatch(t, p);
        return isDeepStrictEqual(t, before) && isDeepStrictEqual(p, patchBefore);
      }),
    );
  });

  it('keeps __proto__ as a key of the document, never as its prototype', () => {
    const patched = mergePatch({ name: 'x' }, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(patched), Object.prototype);
    assert.equal(JSON.stringify(patched), '{"name":"x","__proto__":{"polluted":true}}');
  });
});
