import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FIELD_MESSAGES } from '../../contract/browser.js';
import { en } from '../../widget/internal/strings/en.js';
import { fieldMessages, loadStrings, stringsFor } from '../../widget/internal/strings/index.js';

// The widget's languages are written one text per line in en.ts's key order
// (widget/internal/strings/index.ts): these checks keep them in step with en.

const slots = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the widget’s built-in languages', () => {
  for (const code of ['de', 'fr', 'es']) {
    it(`${code} has one line per English text, each with the same {slots}`, async () => {
      const source = readFileSync(new URL(`../../widget/internal/strings/${code}.ts`, import.meta.url), 'utf8');
      const lines = /export default `\n([^`]*)\n`;/.exec(source)?.[1]?.split('\n');
      assert.equal(lines?.length, Object.keys(en).length, 'as many lines as en has keys');
      assert.ok(
        lines.every((line) => line.trim() !== ''),
        'no empty line',
      );
      const strings = await loadStrings(code);
      for (const [key, english] of Object.entries(en)) {
        assert.deepEqual(slots(strings[key as keyof typeof en]), slots(english), `${code}.${key} keeps the slots of "${english}"`);
      }
      assert.notEqual(strings.submit, en.submit, 'translated, not English');
    });
  }

  it('speaks English for a language it does not have, and fetches a built-in one before it is used', async () => {
    assert.equal(stringsFor('pt-BR'), en);
    assert.equal(stringsFor('EN-gb'), en);
    assert.equal(stringsFor('constructor'), en, 'a tag that names an Object.prototype key is just unknown');
    const german = await loadStrings('de-AT');
    assert.equal(german.submit, 'Anmelden');
    assert.equal(stringsFor('de'), german);
  });

  it('has a text for every field message the servers give, or the generic one where a visitor cannot cause it', () => {
    const messages = fieldMessages(en);
    assert.deepEqual(Object.keys(messages).sort(), Object.keys(FIELD_MESSAGES).sort());
    assert.equal(messages.tooLong, en.fieldTooLong);
    assert.equal(messages.unknown, en.fieldUnknown, 'a field the organiser removed while the form was open');
    for (const generic of ['boolean', 'list', 'repeat', 'text', 'singleLine'] as const) assert.equal(messages[generic], en.fieldFormat);
  });
});
