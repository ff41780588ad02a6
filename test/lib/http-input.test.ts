import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTrustProxy } from '../../lib/env.js';
import { inputFailure } from '../../lib/input-failure.js';
import { isJsonContentType } from '../../lib/json-body.js';
import { errorOrigin } from '../../lib/unexpected-error.js';

describe('lib: input, environment and error helpers', () => {
  it('names the first frame of our own code, never a dependency’s or the message', () => {
    const error = new Error('select * from secrets /work/main/backend/fake.ts:1');
    error.stack = [
      'error: select * from secrets /work/main/backend/fake.ts:1',
      '    at Parser.parse (/work/main/node_modules/pg/lib/client.js:694:17)',
      '    at insertOnce (file:///work/main/backend/services/registrations.ts:120:5)',
    ].join('\n');
    assert.equal(errorOrigin(error), '/backend/services/registrations.ts:120:5');
    assert.equal(errorOrigin('not an error'), undefined);
  });

  it('answers PostgreSQL’s "cannot store this character" as a 400', () => {
    assert.equal(inputFailure({ code: '22021' })?.status, 400);
    assert.equal(inputFailure({ code: '23505' }), null);
  });

  it('reads application/json from the header, with or without parameters', () => {
    assert.equal(isJsonContentType('application/json'), true);
    assert.equal(isJsonContentType('Application/JSON; charset=utf-8'), true);
    assert.equal(isJsonContentType('text/plain'), false);
    assert.equal(isJsonContentType(undefined), false);
  });

  it('refuses TRUST_PROXY=true and reads hop counts and names', () => {
    assert.throws(() => parseTrustProxy('true'), /TRUST_PROXY/);
    assert.equal(parseTrustProxy(undefined), false);
    assert.equal(parseTrustProxy('1'), 1);
    assert.equal(parseTrustProxy('loopback'), 'loopback');
  });
});
