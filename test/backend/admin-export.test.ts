import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRegistration } from '../../backend/services/registrations.js';
import { DIALECTS } from '../helpers/database.js';
import { person, postRegistration, seedConference } from '../helpers/backend.js';
import { adminCli, spawnCli } from './admin-support.js';
import { backendFor, fakeClock, getWithKey, parseCsv } from './support.js';

const FIELDS = {
  fields: [
    { key: 'company', label: 'Company', type: 'text' },
    {
      key: 'topics',
      label: 'Topics',
      type: 'multiselect',
      options: [
        { value: 'web', label: 'Web' },
        { value: 'data', label: 'Data' },
      ],
    },
  ],
};

/** The CSV as objects keyed by its header row. */
function csvRecords(csv: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv);
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
}

for (const { dialect, skip } of DIALECTS) {
  describe(`confera-admin registrations export on ${dialect}`, { skip }, () => {
    it('exports JSON: every registration, as the API shows it', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      for (let n = 0; n < 3; n++) assert.equal((await postRegistration(backend, seeded.apiKey, person(n))).status, 201);
      const exported = await adminCli(backend.store).json([
        'registrations',
        'export',
        '--conference',
        seeded.conferenceId,
        '--format',
        'json',
      ]);
      const listed = await getWithKey(backend, seeded.apiKey, '/registrations/registrations');
      assert.deepEqual(exported, listed.body.data);
    });

    it('exports CSV: a header, then one row per registration with its custom fields', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store, FIELDS);
      const created = await postRegistration(
        backend,
        seeded.apiKey,
        person(1, {
          ticketTypeId: 'standard',
          paymentMethodId: 'bank',
          paymentReference: 'TXN-1',
          customFields: { company: 'Acme', topics: ['web', 'data'] },
        }),
      );
      const csv = await adminCli(backend.store).text(['registrations', 'export', '--conference', seeded.conferenceId, '--format', 'csv']);
      const [record, ...rest] = csvRecords(csv);
      assert.equal(rest.length, 0);
      const registration = created.body.data;
      assert.deepEqual(record, {
        reference: registration.reference,
        id: registration.id,
        created_at: registration.createdAt,
        status: 'pending_payment',
        first_name: 'Julie',
        last_name: 'Everett1',
        email: 'julie.everett1@example.org',
        ticket_type_id: 'standard',
        ticket_type_name: 'Standard',
        price_amount: '14900',
        price_currency: 'EUR',
        phase_id: 'early-bird',
        payment_method_id: 'bank',
        payment_reference: 'TXN-1',
        payment_proof_url: '',
        region: '',
        'custom.company': 'Acme',
        'custom.topics': 'web; data',
      });
    });

    it('exports CSV by default', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const csv = await adminCli(backend.store).text(['registrations', 'export', '--conference', seeded.conferenceId]);
      assert.match(csv, /^reference,id,created_at,/);
    });

    it('neutralises cells a spreadsheet would run as formulas, and escapes quotes and commas', async (t) => {
      // One registration a minute, so that the export's creation order is the order below.
      const clock = fakeClock('2027-01-10T12:00:00Z');
      const backend = await backendFor(t, { dialect, clock: clock.now });
      const seeded = await seedConference(backend.store, FIELDS, { now: clock.now() });
      const names = ['=HYPERLINK("http://x.y","a,b")', '+1', '-2', '@x', 'Plain, "quoted"'];
      for (const [n, firstName] of names.entries()) {
        clock.set(`2027-01-10T12:0${n}:00Z`);
        assert.equal((await postRegistration(backend, seeded.apiKey, person(n, { firstName }))).status, 201);
      }
      // The API trims text, so a value that starts with a tab can only come from elsewhere:
      // the service takes it as given.
      await createRegistration(
        { store: backend.store, conferenceId: seeded.conferenceId, apiKeyId: null, now: new Date('2027-01-10T12:09:00Z') },
        { firstName: 'Tab', lastName: 'Field', email: 'tab@example.org', ticketTypeId: 'free', customFields: { company: '\t=1+2' } },
      );
      const csv = await adminCli(backend.store).text(['registrations', 'export', '--conference', seeded.conferenceId]);
      const records = csvRecords(csv);
      assert.deepEqual(
        records.map((r) => r.first_name),
        [`'=HYPERLINK("http://x.y","a,b")`, "'+1", "'-2", "'@x", 'Plain, "quoted"', 'Tab'],
      );
      assert.equal(records.at(-1)!['custom.company'], "'\t=1+2");
      assert.ok(csv.includes(`"'=HYPERLINK(""http://x.y"",""a,b"")"`), 'quotes doubled inside a quoted cell');
    });

    it('writes CSV on stdout from the real CLI', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      await postRegistration(backend, seeded.apiKey, person(1, { firstName: '=cmd' }));
      const run = await spawnCli(backend.databaseUrl, ['registrations', 'export', '--conference', seeded.conferenceId, '--format', 'csv']);
      assert.equal(run.code, 0);
      assert.equal(run.stderr, '');
      assert.deepEqual(
        csvRecords(run.stdout).map((r) => r.first_name),
        ["'=cmd"],
      );
    });

    it('refuses a format other than csv or json with a usage error', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const run = await spawnCli(backend.databaseUrl, ['registrations', 'export', '--conference', seeded.conferenceId, '--format', 'xlsx']);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /--format must be csv or json/);
    });
  });
}
