import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { caseFold, hasBidiControl, normaliseName, stripIgnorable } from '../../contract/names.js';

const IGNORABLES = ['\u00AD', '\u034F', '\u061C', '\u200B', '\u200C', '\u200D', '\u200E', '\u2060', '\uFE0F', '\uFEFF', '\u{E0041}'];
const BIDI_CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
const SPACES = [' ', '  ', '\t', '\u00A0', '\u2009', '\u3000'];

/** Text that reaches the corners: the letters folding treats specially, marks, spaces, invisibles, and any code point. */
const tricky = fc.constantFrom(
  'ß',
  'ẞ',
  'ss',
  'ς',
  'σ',
  'Σ',
  'ı',
  'İ',
  'I',
  'i',
  'ﬃ',
  'Ｊ',
  'é',
  'e\u0301',
  'ΐ',
  'ǅ',
  'ᾳ',
  'Ꭰ',
  'ꭰ',
  ...IGNORABLES,
  ...SPACES,
);
const text = fc.array(fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join(''));
const ignorable = fc.constantFrom(...IGNORABLES);

describe('contract/names', () => {
  describe('normaliseName', () => {
    const same: [string, string, string][] = [
      ['a zero-width space inside', 'Jo\u200Bsé', 'José'],
      ['a zero-width joiner inside', 'Jo\u200Dsé', 'José'],
      ['a soft hyphen inside', 'Jo\u00ADsé', 'José'],
      ['a capital sharp s', 'STRAUẞ', 'Strauß'],
      ['a sharp s and ss', 'Strauß', 'STRAUSS'],
      ['fullwidth letters', 'Ｊｏｓé', 'José'],
      ['a decomposed letter', 'Jose\u0301', 'José'],
      ['upper case', 'JOSÉ', 'josé'],
      ['a no-break space', 'Mary\u00A0Ann', 'Mary Ann'],
      ['the ﬃ ligature', 'Eﬃe', 'EFFIE'],
      ['a final and a medial sigma', 'ΟΔΟΣ', 'οδοσ'],
      ['a dotted capital I and i with a combining dot', 'İlker', 'i\u0307lker'],
    ];
    for (const [what, a, b] of same) {
      it(`treats ${what} as the same name`, () => assert.equal(normaliseName(a), normaliseName(b)));
    }

    it('keeps the Turkish dotless ı apart from i, as full case folding does', () => {
      assert.notEqual(normaliseName('Yıldız'), normaliseName('Yildiz'));
      assert.notEqual(normaliseName('İlker'), normaliseName('Ilker'));
    });

    it('is idempotent', () => {
      fc.assert(fc.property(text, (s) => normaliseName(normaliseName(s)) === normaliseName(s)));
    });

    it('is idempotent on every code point of the planes in use (0–3, 14)', () => {
      for (let cp = 0; cp <= 0xe0fff; cp++) {
        if (cp === 0xd800) cp = 0xe000;
        if (cp === 0x40000) cp = 0xe0000;
        const once = normaliseName(String.fromCodePoint(cp));
        if (normaliseName(once) !== once) assert.fail(`U+${cp.toString(16)}: ${JSON.stringify(once)} normalises again`);
      }
    });

    it('does not change when default-ignorable code points are inserted anywhere', () => {
      const inserted = fc.tuple(text, fc.array(fc.tuple(fc.nat(), ignorable), { maxLength: 4 }));
      fc.assert(
        fc.property(inserted, ([s, insertions]) => {
          const chars = [...s];
          for (const [at, char] of insertions) chars.splice(at % (chars.length + 1), 0, char);
          return normaliseName(chars.join('')) === normaliseName(s);
        }),
      );
    });

    it('does not change with the letter case, outside the dotless ı that upper-casing turns into I', () => {
      fc.assert(
        fc.property(
          text.filter((s) => !s.includes('ı')),
          (s) => normaliseName(s.toUpperCase()) === normaliseName(s) && normaliseName(s.toLowerCase()) === normaliseName(s),
        ),
      );
    });

    it('does not change with the kind or amount of white space between words', () => {
      const words = fc.array(fc.stringMatching(/^[A-Za-zÀ-ÿ]{1,8}$/), { minLength: 1, maxLength: 4 });
      fc.assert(
        fc.property(words, fc.constantFrom(...SPACES), fc.constantFrom(...SPACES), (w, sep, edge) => {
          return normaliseName(edge + w.join(sep) + edge) === normaliseName(w.join(' '));
        }),
      );
    });

    it('gives trimmed NFKC text without ignorables or runs of white space', () => {
      fc.assert(
        fc.property(text, (s) => {
          const key = normaliseName(s);
          return key === key.normalize('NFKC') && key === stripIgnorable(key) && key === key.trim() && !/\s\s/u.test(key);
        }),
      );
    });
  });

  describe('caseFold', () => {
    const folds: [string, string][] = [
      ['ß', 'ss'],
      ['ẞ', 'ss'],
      ['STRAUẞ', 'strauss'],
      ['ﬃ', 'ffi'],
      ['ΟΔΟΣ', 'οδοσ'],
      ['ς', 'σ'],
      ['İ', 'i\u0307'],
      ['I', 'i'],
      ['ı', 'ı'],
    ];
    for (const [from, to] of folds) {
      it(`folds ${JSON.stringify(from)} to ${JSON.stringify(to)}`, () => assert.equal(caseFold(from), to));
    }

    it('folds each part of a text on its own', () => {
      fc.assert(fc.property(text, text, (a, b) => caseFold(a + b) === caseFold(a) + caseFold(b)));
    });

    it('is idempotent', () => {
      fc.assert(fc.property(text, (s) => caseFold(caseFold(s)) === caseFold(s)));
    });
  });

  describe('stripIgnorable', () => {
    it('removes the invisible code points and keeps the rest', () => {
      assert.equal(stripIgnorable(`Jo${IGNORABLES.join('')}sé`), 'José');
      assert.equal(stripIgnorable('Mary Ann-Lee'), 'Mary Ann-Lee');
    });

    it('is idempotent and leaves nothing ignorable behind', () => {
      fc.assert(fc.property(text, (s) => stripIgnorable(stripIgnorable(s)) === stripIgnorable(s) && !/\p{DI}/u.test(stripIgnorable(s))));
    });
  });

  describe('hasBidiControl', () => {
    for (const control of BIDI_CONTROLS) {
      const code = `U+${control.codePointAt(0)!.toString(16).toUpperCase()}`;
      it(`finds ${code}`, () => assert.equal(hasBidiControl(`Jo${control}sé`), true));
    }

    it('finds none in names without them, the bidi marks included', () => {
      for (const name of ['José', 'محمد', 'שרה', 'Jo\u200Esé', 'Jo\u200Fsé', 'Jo\u061Csé']) assert.equal(hasBidiControl(name), false);
    });
  });
});
