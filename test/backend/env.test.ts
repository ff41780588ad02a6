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
    assert.throws(() => readEnv({ TRUSTED_PROXIES: 'loopback,10.0.0.0/99' }), /TRUSTED_PROXIES/);
    assert.throws(() => readEnv({ RATE_LIMIT_PER_CLIENT_PER_MINUTE: '-1' }), /RATE_LIMIT_PER_CLIENT_PER_MINUTE/);
  });

  it('names REDIS_URL when it is not a Redis URL, without echoing it (it may hold a password)', () => {
    assert.throws(
      () => readEnv({ REDIS_URL: 'http://user:s3cret@cache:6379' }),
      (error: Error) => /REDIS_URL/.test(error.message) && !error.message.includes('s3cret'),
    );
    assert.equal(readEnv({ REDIS_URL: 'redis://user:s3cret@cache:6379/1' }).REDIS_URL, 'redis://user:s3cret@cache:6379/1');
  });

  it('trusts loopback to name its client by default, and the addresses and CIDRs it is given', () => {
    assert.equal(readEnv({}).TRUSTED_PROXIES('127.0.0.1'), true);
    assert.equal(readEnv({}).TRUSTED_PROXIES('::ffff:127.0.0.1'), true);
    assert.equal(readEnv({}).TRUSTED_PROXIES('10.1.2.3'), false);
    const listed = readEnv({ TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8::1' }).TRUSTED_PROXIES;
    assert.deepEqual(['10.1.2.3', '2001:db8::1', '127.0.0.1', 'notanip'].map(listed), [true, true, false, false]);
    assert.equal(readEnv({ TRUSTED_PROXIES: 'none' }).TRUSTED_PROXIES('127.0.0.1'), false);
  });
});
