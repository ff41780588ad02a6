import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { revokeApiKey } from '../../backend/services/api-keys.js';
import { updateConference } from '../../backend/services/conferences.js';
import { seedConference, startBackend, type TestBackend } from '../helpers/backend.js';

describe('the API key look-up cache (AUTH_CACHE_MS)', () => {
  let backend: TestBackend | undefined;
  let now = Date.parse('2026-11-23T12:00:00Z');
  const clock = () => new Date(now);
  afterEach(async () => backend?.close());

  const config = (apiKey: string) =>
    fetch(`${backend!.api}/registrations/config`, { headers: { 'x-api-key': apiKey } }).then(async (r) => ({
      status: r.status,
      code: r.ok ? null : ((await r.json()) as { error: { code: string } }).error.code,
    }));

  it('a revoked key stops working once its cached look-up is older than the cache time', async () => {
    backend = await startBackend({ clock, authCacheMs: 1000 });
    const seeded = await seedConference(backend.store);
    assert.equal((await config(seeded.apiKey)).status, 200);
    await revokeApiKey(backend.store.db, seeded.keyId, clock());
    now += 500;
    assert.equal((await config(seeded.apiKey)).status, 200, 'still cached within 1 s');
    now += 501;
    assert.deepEqual(await config(seeded.apiKey), { status: 401, code: 'invalid_api_key' });
  });

  it('a conference that ends stops its keys within the cache time', async () => {
    backend = await startBackend({ clock, authCacheMs: 1000 });
    const seeded = await seedConference(backend.store);
    assert.equal((await config(seeded.apiKey)).status, 200);
    await updateConference(backend.store.db, seeded.conferenceId, { status: 'ended' }, clock());
    now += 1001;
    assert.deepEqual(await config(seeded.apiKey), { status: 403, code: 'conference_not_live' });
  });

  it('checks a key’s expiry on every request, cached or not', async () => {
    backend = await startBackend({ clock, authCacheMs: 60_000 });
    const seeded = await seedConference(backend.store, {}, { expiresAt: new Date(now + 100).toISOString(), now: clock() });
    assert.equal((await config(seeded.apiKey)).status, 200);
    now += 100;
    assert.deepEqual(await config(seeded.apiKey), { status: 401, code: 'invalid_api_key' });
  });

  it('with the cache off (0), a revocation takes effect at once', async () => {
    backend = await startBackend({ clock, authCacheMs: 0 });
    const seeded = await seedConference(backend.store);
    assert.equal((await config(seeded.apiKey)).status, 200);
    await revokeApiKey(backend.store.db, seeded.keyId, clock());
    assert.deepEqual(await config(seeded.apiKey), { status: 401, code: 'invalid_api_key' });
  });
});
