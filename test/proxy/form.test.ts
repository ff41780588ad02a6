import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFormTokens, FORM_TOKEN_TTL_MS } from '../../proxy-server/form-token.js';
import { seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { call, startProxy, type TestProxy } from './support.js';

describe('GET /form, the hosted form', () => {
  let backend: TestBackend;
  let proxy: TestProxy;
  before(async () => {
    backend = await startBackend();
    const { apiKey } = await seedConference(backend.store);
    proxy = await startProxy({ backendUrl: backend.url, apiKey, config: { allowedOrigins: ['https://www.customer.example'] } });
  });
  after(async () => {
    await proxy.close();
    await backend.close();
  });

  it('is a page titled with the conference, the widget pointed at the proxy’s own API with a form token', async () => {
    const page = await call(`${proxy.url}/form`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(page.text, /<title>Register for Test Conference 2027<\/title>/);
    // Named once to the eye (the widget's heading), and still a page with a heading of its own.
    assert.match(page.text, /<h1 class="visually-hidden">Test Conference 2027<\/h1>/);
    assert.match(page.text, /<link rel="stylesheet" href="\/form.css" \/>/);
    assert.match(page.text, /<confera-registration endpoint="\/api\/registration\?form_token=\d+\.[\w-]{43}"/);
    assert.match(page.text, /<script type="module" src="\/widget\/confera-registration.js"><\/script>/);
  });

  it('has its own strict policy, framable by FRAME_ANCESTORS (default *), while other routes refuse framing', async () => {
    const page = await call(`${proxy.url}/form`);
    assert.equal(
      page.headers.get('content-security-policy'),
      "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors *",
    );
    assert.equal(page.headers.get('x-frame-options'), null);
    const config = await call(`${proxy.url}/api/registration`);
    assert.match(config.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.equal(config.headers.get('x-frame-options'), 'SAMEORIGIN');

    const listed = await startProxy({
      backendUrl: backend.url,
      apiKey: (await seedConference(backend.store, { id: 'framed' })).apiKey,
      config: { allowedOrigins: '*', frameAncestors: ['https://sites.example', 'https://builder.example'] },
    });
    try {
      const framed = await call(`${listed.url}/form`);
      assert.match(framed.headers.get('content-security-policy')!, /frame-ancestors https:\/\/sites\.example https:\/\/builder\.example$/);
    } finally {
      await listed.close();
    }
  });

  it('takes lang, ticket, theme, accent, prefills and embed=1, and ignores what does not fit: nothing hostile is reflected', async () => {
    const good = await call(
      `${proxy.url}/form?lang=de-AT&ticket=standard&theme=dark&accent=%23a3367a&prefill-first-name=J%C3%BCrgen&prefill-email=j%40example.org&embed=1`,
    );
    assert.match(
      good.text,
      /lang="de-AT" ticket-type="standard" theme="dark" prefill-first-name="Jürgen" prefill-email="j@example.org" data-accent="#a3367a"/,
    );
    assert.match(good.text, /<html lang="de-AT" data-theme="dark">/);
    assert.match(good.text, /<body class="embed">/);
    assert.ok(!good.text.includes('<h1>'), 'no heading when embedded');

    const hostile = await call(
      `${proxy.url}/form?lang=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&accent=red;background:url(x)&theme=%3Cb%3E&ticket=%3Cimg%20src=x%3E&prefill-first-name=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&prefill-last-name[]=x`,
    );
    assert.equal(hostile.status, 200);
    assert.ok(!/<script>alert|<img|background:url|<b>/.test(hostile.text), 'no markup from a parameter');
    assert.match(hostile.text, /prefill-first-name="&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;"/);
    assert.match(hostile.text, /<html lang="en">/);
  });

  it('tells a JSONP page on a refused origin so (the config itself stays readable), and no one else', async () => {
    const read = (referer?: string) =>
      call(`${proxy.url}/api/registration?callback=cb`, { headers: referer ? { referer, 'sec-fetch-dest': 'script' } : {} });
    const refused = await read('https://elsewhere.example/page');
    assert.match(refused.text, /"origin_allowed":false\}\);$/);
    assert.match(refused.text, /"conference":\{/);
    assert.ok(!(await read('https://www.customer.example/page')).text.includes('origin_allowed'));
    assert.ok(!(await read()).text.includes('origin_allowed'), 'no Referer: nothing to judge');
  });

  it('serves its script, its styles and embed.js', async () => {
    for (const [path, type] of [
      ['/form.js', 'application/javascript'],
      ['/form.css', 'text/css'],
      ['/embed.js', 'application/javascript'],
    ] as const) {
      const asset = await call(`${proxy.url}${path}`);
      assert.equal(asset.status, 200, path);
      assert.ok(asset.headers.get('content-type')!.startsWith(type), path);
    }
  });
});

describe('the form token, for the hosted form in a sandbox (Origin: null, no Referer)', () => {
  let backend: TestBackend;
  let proxy: TestProxy;
  let now = new Date('2027-03-01T10:00:00Z');
  before(async () => {
    backend = await startBackend();
    const { apiKey } = await seedConference(backend.store);
    proxy = await startProxy({
      backendUrl: backend.url,
      apiKey,
      config: { allowedOrigins: ['https://www.customer.example'], formTokenSecret: 's'.repeat(40) },
      clock: () => now,
    });
  });
  after(async () => {
    await proxy.close();
    await backend.close();
  });

  const tokenOf = async () => /form_token=([\w.-]+)"/.exec((await call(`${proxy.url}/form`)).text)![1]!;

  it('lets a null origin read the config with a valid token, and refuses a missing, forged or expired one', async () => {
    const token = await tokenOf();
    const read = (query: string) => call(`${proxy.url}/api/registration${query}`, { headers: { origin: 'null' } });
    assert.equal((await read(`?form_token=${token}`)).headers.get('access-control-allow-origin'), 'null');
    assert.equal((await read('')).headers.get('access-control-allow-origin'), null, 'no token');
    const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    assert.equal((await read(`?form_token=${forged}`)).headers.get('access-control-allow-origin'), null, 'forged');
    const other = createFormTokens({ secret: 'x'.repeat(40), clock: () => now }).issue();
    assert.equal((await read(`?form_token=${other}`)).headers.get('access-control-allow-origin'), null, 'another secret');
    now = new Date(now.getTime() + FORM_TOKEN_TTL_MS + 1000);
    try {
      assert.equal((await read(`?form_token=${token}`)).headers.get('access-control-allow-origin'), null, 'expired');
    } finally {
      now = new Date('2027-03-01T10:00:00Z');
    }
  });

  it('answers the preflight of a null origin only with a valid token', async () => {
    const token = await tokenOf();
    const preflight = (query: string) =>
      call(`${proxy.url}/api/registration${query}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'null',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,idempotency-key',
        },
      });
    const allowed = await preflight(`?form_token=${token}`);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'null');
    assert.match(allowed.headers.get('access-control-allow-headers')!, /Idempotency-Key/);
    assert.equal((await preflight('?form_token=nope')).headers.get('access-control-allow-origin'), null);
  });

  it('lets a JSONP submit without a Referer through with a valid token only', async () => {
    const token = await tokenOf();
    const jsonData = encodeURIComponent(
      JSON.stringify({ firstName: 'Ada', lastName: 'Sandbox', email: 'ada.sandbox@example.org', ticketTypeId: 'free' }),
    );
    const submit = (extra: string) =>
      call(`${proxy.url}/api/registration?method=post&format=json&callback=cb&jsonData=${jsonData}${extra}`, {
        headers: { 'sec-fetch-dest': 'script' },
      });
    assert.match((await submit('')).text, /"code":"origin_not_allowed"/);
    assert.match((await submit('&form_token=1.forged')).text, /"code":"origin_not_allowed"/);
    assert.match((await submit(`&form_token=${token}`)).text, /"ok":true/);
  });
});
