import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { seedConference, startBackend } from '../helpers/backend.js';
import { call, runJsonp, scanEachTestForLeaks, startProxy, watchLogs } from './support.js';
import { asScript, rawRequest, resourceUrl, SEED_FIELDS } from './pub-resource-support.js';

/*
 * Seed 004's examples, replayed as it prints them (event 987, region nz). Its JSONP URLs
 * show `jsonData` unescaped "for readability" and say to URI-encode it, which is done here;
 * its `®ion=nz` is `&region=nz` rendered as an HTML entity.
 */
const POST_BODY =
  '{ "Contact":{ "FirstName":"Julie", "LastName":"Everett", "Email":"julie.everett@example.org", "PhoneWork":"+64 4 123 4567", "Mobile":"+64 21 1234 5678", "Employment":{ "OrganisationName":"Acme Industries Ltd", "Position":"General Manager", "Department":"Human Resources" } }, "Comments":"Test comment" }';
const POST_RESPONSE =
  '{ "Contact":{ "FirstName":"Julie", "LastName":"Everett", "Email":"julie.everett@example.org", "PhoneWork":"+64 4 123 4567", "Mobile":"+64 21 1234 5678", "Employment":{ "OrganisationName":"Acme Industries Ltd", "Position":"General Manager", "Department":"Human Resources" } }, "Comments":"Test comment" }';
const JSONP_DATA =
  '{"Contact":{"FirstName":"Julie","LastName":"Everett","Email":"julie.everett@example.org","PhoneWork":"+64 4 123 4567","Mobile":"+64 21 1234 5678","Employment":{"OrganisationName":"Acme Industries Ltd","Position":"General Manager","Department":"Human Resources"}},"Comments":"Test comment"}';
const JSONP_SUCCESS =
  'myRegisterCallback({"Contact":{"FirstName":"Julie","LastName":"Everett","Email":"julie.everett@example.org","PhoneWork":"+64 4 123 4567","Mobile":"+64 21 1234 5678","Employment":{"OrganisationName":"Acme Industries Ltd","Position":"General Manager","Department":"Human Resources"}},"Comments":"Test comment"})';
const JSONP_ERROR_DATA = `"${JSONP_DATA}"`;
const JSONP_ERROR =
  'myRegisterCallback({"Success":false,"Code":"DuplicateRegistration","Message":"Julie Everett (julie.everett@example.org) is already registered for this event"})';

/** The argument of a `callback(…)` call as the seed prints it. */
const argumentOf = (printed: string) => JSON.parse(printed.slice('myRegisterCallback('.length, -1));

const jsonpUrl = (proxyUrl: string, jsonData: string) =>
  `${resourceUrl(proxyUrl, '987', '')}?method=post&format=json&region=nz&jsonData=${encodeURIComponent(jsonData)}&callback=myRegisterCallback`;

describe('seed 004’s examples, replayed', () => {
  scanEachTestForLeaks();
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  /** Event 987 (a conference file's `id`), with the seed-004 fields and a free ticket, behind a proxy: one backend per test, as the id is unique. */
  async function event987() {
    const backend = await startBackend();
    closers.push(backend.close);
    watchLogs(backend.logs);
    const seeded = await seedConference(backend.store, { id: 987, fields: SEED_FIELDS });
    const proxy = await startProxy({ backendUrl: backend.url, apiKey: seeded.apiKey });
    closers.push(proxy.close);
    return { backend, proxy, apiKey: seeded.apiKey };
  }

  it('answers the standard HTTP POST with 200 and exactly the documented JSON, and stores it with region nz and the custom fields', async () => {
    const { backend, proxy, apiKey } = await event987();
    const answer = await rawRequest(
      resourceUrl(proxy.url, '987'),
      'POST',
      {
        Accept: 'application/json',
        'Accept-Encoding': 'gzip, deflate',
        'Content-Type': 'application/json',
        // The seed says 451: its body lost its line breaks in print; this is the printed body's length.
        'Content-Length': String(Buffer.byteLength(POST_BODY)),
      },
      POST_BODY,
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.deepEqual(JSON.parse(answer.text), JSON.parse(POST_RESPONSE));
    assert.equal(answer.text, JSON.stringify(JSON.parse(POST_RESPONSE)), 'the same keys in the same order');

    const list = await fetch(`${backend.api}/registrations/registrations`, { headers: { 'x-api-key': apiKey } });
    const [stored, ...others] = ((await list.json()) as { data: any[] }).data;
    assert.equal(others.length, 0);
    assert.equal(stored.conferenceId, '987');
    assert.equal(stored.region, 'nz');
    assert.equal(stored.ticketTypeId, 'free');
    assert.deepEqual(
      { firstName: stored.firstName, lastName: stored.lastName, email: stored.email },
      { firstName: 'Julie', lastName: 'Everett', email: 'julie.everett@example.org' },
    );
    assert.deepEqual(stored.customFields, {
      phoneWork: '+64 4 123 4567',
      mobile: '+64 21 1234 5678',
      organisationName: 'Acme Industries Ltd',
      position: 'General Manager',
      department: 'Human Resources',
      comments: 'Test comment',
    });
  });

  it('answers the JSONP POST (success result) by calling myRegisterCallback with the documented object', async () => {
    const { proxy } = await event987();
    const answer = await call(jsonpUrl(proxy.url, JSONP_DATA), asScript);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/javascript; charset=utf-8');
    assert.equal(answer.text, `/**/ typeof myRegisterCallback === 'function' && ${JSONP_SUCCESS};`);
    assert.deepEqual(runJsonp(answer.text, 'myRegisterCallback'), argumentOf(JSONP_SUCCESS));
  });

  it('answers the JSONP POST (error result), its jsonData in double quotes, the second time with the documented DuplicateRegistration', async () => {
    const { proxy } = await event987();
    const first = runJsonp((await call(jsonpUrl(proxy.url, JSONP_ERROR_DATA), asScript)).text, 'myRegisterCallback');
    assert.deepEqual(first, argumentOf(JSONP_SUCCESS));
    const answer = await call(jsonpUrl(proxy.url, JSONP_ERROR_DATA), asScript);
    assert.equal(answer.status, 200);
    assert.equal(answer.text, `/**/ typeof myRegisterCallback === 'function' && ${JSONP_ERROR};`);
    assert.deepEqual(runJsonp(answer.text, 'myRegisterCallback'), argumentOf(JSONP_ERROR));
  });
});
