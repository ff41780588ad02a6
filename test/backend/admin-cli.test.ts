import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashKey } from '../../backend/services/api-keys.js';
import { DIALECTS } from '../helpers/database.js';
import { conferenceFile, person, postRegistration } from '../helpers/backend.js';
import { adminCli, adminError, adminFieldErrors, jsonFile, spawnCli } from './admin-support.js';
import { assertError, backendFor, getWithKey } from './support.js';

const CREATE = ['conference', 'create', '--file', '-'];
const BOTH_SCOPES = '--scopes=registrations:read,registrations:write';

for (const { dialect, skip } of DIALECTS) {
  describe(`confera-admin on ${dialect}`, { skip }, () => {
    describe('conference create', () => {
      it('generates a c_… id when the file has none', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        const { id } = await admin.json(CREATE, conferenceFile());
        assert.match(id, /^c_[0-9A-Za-z]{12}$/);
      });

      it('keeps an id given as a slug or as a number', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        assert.deepEqual(await admin.json(CREATE, conferenceFile({ id: 'devconf-2027' })), { id: 'devconf-2027' });
        assert.deepEqual(await admin.json(CREATE, conferenceFile({ id: 987 })), { id: '987' });
        assert.equal((await admin.json(['conference', 'show', '987'])).name, 'Test Conference 2027');
      });

      it('refuses an id that exists', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        await admin.json(CREATE, conferenceFile({ id: 987 }));
        const fields = await adminFieldErrors(admin.json(CREATE, conferenceFile({ id: 987, name: 'Another' })));
        assert.deepEqual(Object.keys(fields), ['id']);
      });

      const invalid: [string, Record<string, unknown>, string][] = [
        [
          'a phase that ends before it starts',
          { phases: [{ id: 'p', name: 'P', starts_at: '2027-02-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z' }] },
          'phases[0].ends_at',
        ],
        [
          'a price for a phase that does not exist',
          { ticket_types: [{ id: 'free', name: 'Free', prices: { 'early-bird': 0, nope: 100 } }] },
          'ticket_types[0].prices.nope',
        ],
        [
          'overlapping phases',
          {
            phases: [
              { id: 'a', name: 'A', starts_at: '2027-01-01T00:00:00Z', ends_at: '2027-02-01T00:00:00Z' },
              { id: 'b', name: 'B', starts_at: '2027-01-15T00:00:00Z', ends_at: '2027-03-01T00:00:00Z' },
            ],
            ticket_types: [{ id: 'free', name: 'Free', prices: { a: 0 } }],
          },
          'phases[1].starts_at',
        ],
        ['a select field without options', { fields: [{ key: 'dietary', label: 'Diet', type: 'select' }] }, 'fields[0].options'],
        [
          'a negative price',
          { ticket_types: [{ id: 'free', name: 'Free', prices: { 'early-bird': -1 } }] },
          'ticket_types[0].prices.early-bird',
        ],
        ['an unknown status', { status: 'paused' }, 'status'],
        ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
        ['an unknown top-level key', { colour: 'blue' }, 'colour'],
        [
          'an unknown key in a ticket type',
          { ticket_types: [{ id: 'free', name: 'Free', prices: {}, colour: 'blue' }] },
          'ticket_types[0].colour',
        ],
      ];
      for (const [what, overrides, path] of invalid) {
        it(`refuses ${what}, naming ${path}`, async (t) => {
          const admin = adminCli((await backendFor(t, { dialect })).store);
          const fields = await adminFieldErrors(admin.json(CREATE, conferenceFile(overrides)));
          assert.ok(path in fields, `expected ${path} among ${Object.keys(fields).join(', ')}`);
        });
      }

      it('refuses a file that is not JSON', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        await adminError(admin.json(CREATE, '{"name": '), 'invalid_json');
      });
    });

    describe('conference update and show', () => {
      it('applies a JSON merge patch and shows the result', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        const { id } = await admin.json(CREATE, conferenceFile({ registration_closes_at: '2027-05-01T00:00:00Z' }));
        const updated = await admin.json(['conference', 'update', id, '--file', '-'], {
          name: 'Renamed 2027',
          capacity: 10,
          registration_closes_at: null,
        });
        assert.equal(updated.id, id);
        assert.equal(updated.name, 'Renamed 2027');
        assert.equal(updated.capacity, 10);
        assert.equal('registration_closes_at' in updated, false);
        assert.deepEqual(await admin.json(['conference', 'show', id]), updated);
      });

      it('validates the patched conference and keeps the old one on error', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        const { id } = await admin.json(CREATE, conferenceFile());
        const fields = await adminFieldErrors(admin.json(['conference', 'update', id, '--file', '-'], { ends_on: '2027-05-01' }));
        assert.deepEqual(Object.keys(fields), ['ends_on']);
        assert.equal((await admin.json(['conference', 'show', id])).ends_on, '2027-05-12');
      });

      it('refuses to change the id', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        const { id } = await admin.json(CREATE, conferenceFile());
        const fields = await adminFieldErrors(admin.json(['conference', 'update', id, '--file', '-'], { id: 'other' }));
        assert.deepEqual(Object.keys(fields), ['id']);
      });

      it('answers not_found for a conference that does not exist', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        await adminError(admin.json(['conference', 'show', 'nope']), 'not_found');
        await adminError(admin.json(['conference', 'update', 'nope', '--file', '-'], { name: 'X' }), 'not_found');
      });
    });

    describe('keys', () => {
      it('shows a new key once, in the scannable cat_ format, and it works over HTTP', async (t) => {
        const backend = await backendFor(t, { dialect });
        const admin = adminCli(backend.store);
        const { id: conferenceId } = await admin.json(CREATE, conferenceFile());
        const created = await admin.json(['key', 'create', '--conference', conferenceId, BOTH_SCOPES, '--name', 'website']);
        assert.deepEqual(Object.keys(created).sort(), ['id', 'key']);
        assert.match(created.id, /^k_/);
        assert.match(created.key, /^cat_[0-9A-Za-z]+$/);
        assert.equal(created.key.length, 46);
        assert.equal((await getWithKey(backend, created.key, '/registrations/config')).status, 200);
        assert.equal((await postRegistration(backend, created.key, person(1))).status, 201);
      });

      it('lists keys with a hint, never the key or its hash', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        const { id: conferenceId } = await admin.json(CREATE, conferenceFile());
        const first = await admin.json(['key', 'create', '--conference', conferenceId, BOTH_SCOPES, '--name', 'old']);
        const second = await admin.json([
          'key',
          'create',
          '--conference',
          conferenceId,
          '--scopes',
          'registrations:read',
          '--expires-at',
          '2030-01-01T00:00:00Z',
        ]);
        const output = await admin.text(['key', 'list', '--conference', conferenceId]);
        for (const key of [first.key, second.key]) {
          assert.equal(output.includes(key), false, 'the key itself is listed');
          assert.equal(output.includes(hashKey(key)), false, 'the key hash is listed');
        }
        // Two keys made in the same millisecond share created_at, so the list's order between them is the id's.
        const listed = JSON.parse(output).sort((a: any, b: any) => (a.name < b.name ? 1 : -1));
        assert.deepEqual(
          listed.map((k: any) => [k.id, k.name, k.scopes, k.hint, k.expires_at, k.revoked]),
          [
            [first.id, 'old', ['registrations:read', 'registrations:write'], `${first.key.slice(0, 8)}…`, null, false],
            [second.id, 'default', ['registrations:read'], `${second.key.slice(0, 8)}…`, '2030-01-01T00:00:00Z', false],
          ],
        );
      });

      it('revokes a key: it gets 401 over HTTP and shows as revoked', async (t) => {
        const backend = await backendFor(t, { dialect });
        const admin = adminCli(backend.store);
        const { id: conferenceId } = await admin.json(CREATE, conferenceFile());
        const created = await admin.json(['key', 'create', '--conference', conferenceId, BOTH_SCOPES]);
        assert.deepEqual(await admin.json(['key', 'revoke', created.id]), { id: created.id, revoked: true });
        assertError(await getWithKey(backend, created.key, '/registrations/config'), 'invalid_api_key');
        assert.equal((await admin.json(['key', 'list', '--conference', conferenceId]))[0].revoked, true);
      });

      it('refuses an unknown scope, a bad expiry, an unknown conference and an unknown key', async (t) => {
        const admin = adminCli((await backendFor(t, { dialect })).store);
        const { id: conferenceId } = await admin.json(CREATE, conferenceFile());
        assert.deepEqual(
          Object.keys(
            await adminFieldErrors(admin.json(['key', 'create', '--conference', conferenceId, '--scopes', 'registrations:admin'])),
          ),
          ['scopes'],
        );
        assert.deepEqual(
          Object.keys(
            await adminFieldErrors(admin.json(['key', 'create', '--conference', conferenceId, BOTH_SCOPES, '--expires-at', 'tomorrow'])),
          ),
          ['expires-at'],
        );
        await adminError(admin.json(['key', 'create', '--conference', 'nope', BOTH_SCOPES]), 'not_found');
        await adminError(admin.json(['key', 'revoke', 'k_nope']), 'not_found');
      });
    });

    describe('the real CLI process', () => {
      it('prints JSON on stdout and exits 0', async (t) => {
        const backend = await backendFor(t, { dialect });
        const created = await spawnCli(backend.databaseUrl, [
          'conference',
          'create',
          '--file',
          jsonFile(t, conferenceFile({ id: 'spawned' })),
        ]);
        assert.deepEqual(created, { code: 0, stdout: `${JSON.stringify({ id: 'spawned' }, null, 2)}\n`, stderr: '' });
        const key = await spawnCli(backend.databaseUrl, ['key', 'create', '--conference', 'spawned', BOTH_SCOPES]);
        assert.equal(key.code, 0);
        assert.equal((await getWithKey(backend, JSON.parse(key.stdout).key, '/registrations/config')).status, 200);
      });

      it('prints the error body on stderr and exits 1 for a bad file', async (t) => {
        const backend = await backendFor(t, { dialect });
        const file = jsonFile(t, conferenceFile({ fields: [{ key: 'dietary', label: 'Diet', type: 'select' }] }));
        const run = await spawnCli(backend.databaseUrl, ['conference', 'create', '--file', file]);
        assert.equal(run.code, 1);
        assert.equal(run.stdout, '');
        const error = JSON.parse(run.stderr).error;
        assert.equal(error.code, 'validation_failed');
        assert.ok('fields[0].options' in error.details.fields);
      });

      for (const argv of [[], ['conference', 'frobnicate'], ['key', 'list', '--nope'], ['conference', 'create']]) {
        it(`prints the usage on stderr and exits 2 for "${argv.join(' ')}"`, async (t) => {
          const backend = await backendFor(t, { dialect });
          const run = await spawnCli(backend.databaseUrl, argv);
          assert.equal(run.code, 2);
          assert.match(argv.length ? run.stderr : run.stdout, /usage: confera-admin/);
        });
      }
    });
  });
}
