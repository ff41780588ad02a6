import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEnv } from '../../backend/env.js';

describe('the backend environment', () => {
  it('takes an empty variable as unset, so the default applies', () => {
    const env = readEnv({ PORT: '', RATE_LIMIT_PER_MINUTE: '', PG_POOL_SIZE: '' });
    assert.equal(env.PORT, 4000);
    assert.equal(env.RATE_LIMIT_PER_MINUTE, 60_000);
    assert.equal(env.PG_POOL_SIZE, 10);
  });

  it('stops the start with the name of a bad variable', () => {
    assert.throws(() => readEnv({ PG_POOL_SIZE: 'many' }), /PG_POOL_SIZE/);
    assert.throws(() => readEnv({ TRUST_PROXY: 'true' }), /TRUST_PROXY/);
    assert.throws(() => readEnv({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
  });
});
