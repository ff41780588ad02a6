import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { localReceiptStore } from '../../proxy-server/receipt-store.js';
import { RECEIPT_MAX_BYTES } from '../../proxy-server/routes/receipts.js';
import { person, seedConference } from '../helpers/backend.js';
import { declaredUpload } from '../helpers/uploads.js';
import { elf, exe, formWith, htmlPage, jpeg, pdf, png, rawUpload } from '../helpers/receipts.js';
import { call, postJson, proxySuite, scanEachTestForLeaks, startProxy } from './support.js';

const PROOF_METHOD = {
  id: 'transfer-receipt',
  name: 'Bank transfer, receipt attached',
  kind: 'bank_transfer',
  instructions: 'IBAN DE00 0000; upload the receipt',
  reference_required: false,
  proof_required: true,
};

describe('receipts: POST /api/registration/receipts (SPEC §3c)', () => {
  scanEachTestForLeaks();
  const suite = proxySuite();

  async function fixture(config: Record<string, unknown> = {}, clock?: () => Date) {
    const seeded = await seedConference(suite.backend.store, { payment_methods: [PROOF_METHOD] });
    const receipts = localReceiptStore(mkdtempSync(join(tmpdir(), 'confera-receipts-')));
    const proxy = suite.track(
      await startProxy({ backendUrl: suite.backend.url, apiKey: seeded.apiKey, receipts, config, ...(clock ? { clock } : {}) }),
    );
    const upload = (name: string, bytes: Buffer, type?: string) =>
      call(`${proxy.url}/api/registration/receipts`, { method: 'POST', body: formWith(name, bytes, type) });
    return { ...seeded, proxy, receipts, upload };
  }

  it('stores a PNG named .pdf as the PNG it is, and serves it back as image/png', async () => {
    const { upload, proxy } = await fixture();
    const answer = await upload('receipt.pdf', png(), 'application/pdf');
    assert.equal(answer.status, 201);
    assert.equal(answer.json.ok, true);
    assert.equal(answer.json.receipt.type, 'image/png');
    assert.equal(answer.json.receipt.size, png().length);
    assert.match(answer.json.receipt.paymentProofUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/registration\/receipts\/[A-Za-z0-9_-]{22}\.png$/);
    const served = await fetch(answer.json.receipt.paymentProofUrl);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(served.headers.get('content-disposition'), 'inline; filename="receipt.png"');
    assert.equal(served.headers.get('content-security-policy'), "default-src 'none'; sandbox; frame-ancestors 'none'");
    assert.equal(served.headers.get('content-length'), String(png().length));
    assert.equal(served.headers.get('cross-origin-resource-policy'), 'same-origin');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), png());
    const name = answer.json.receipt.paymentProofUrl.split('/').pop();
    // Express routes ignore case: the log must not name the receipt for that spelling either.
    assert.equal(
      (await fetch(answer.json.receipt.paymentProofUrl.replace('/api/registration/receipts/', '/API/Registration/RECEIPTS/'))).status,
      200,
    );
    assert.ok(proxy.logs.some((line) => line.includes('/api/registration/receipts/:name')));
    assert.ok(!proxy.logs.some((line) => line.includes(name.slice(0, 22))), 'the log names a receipt');
  });

  it('takes a JPEG and a PDF by their content; a PDF is served for download', async () => {
    const { upload } = await fixture();
    const photo = await upload('photo', jpeg());
    assert.equal(photo.json.receipt.type, 'image/jpeg');
    assert.match(photo.json.receipt.paymentProofUrl, /\.jpg$/);
    const document = await upload('statement.png', pdf(), 'image/png');
    assert.equal(document.json.receipt.type, 'application/pdf');
    const served = await fetch(document.json.receipt.paymentProofUrl);
    assert.equal(served.headers.get('content-type'), 'application/pdf');
    assert.equal(served.headers.get('content-disposition'), 'attachment; filename="receipt.pdf"');
  });

  for (const [what, bytes] of [
    ['an HTML page', htmlPage()],
    ['a Windows executable', exe()],
    ['an ELF executable', elf()],
    ['plain text', Buffer.from('I paid, honestly')],
  ] as const) {
    it(`refuses ${what} named .png with 415 unsupported_file_type, and stores nothing`, async () => {
      const { upload, receipts } = await fixture();
      const answer = await upload('receipt.png', bytes, 'image/png');
      assert.equal(answer.status, 415);
      assert.equal(answer.json.code, 'unsupported_file_type');
      assert.equal(answer.json.message, 'The receipt must be a PNG, JPEG or PDF file');
      assert.equal(await receipts.sweep(new Date(Date.now() + 48 * 3600_000)), 0);
    });
  }

  it('takes a file of exactly 5 MiB', async () => {
    const { proxy } = await fixture();
    const result = await rawUpload(proxy.url, '/api/registration/receipts', png(), RECEIPT_MAX_BYTES);
    assert.deepEqual([result.status, result.finished], [201, true]);
  });

  it('refuses 5 MiB + 1 byte with 413 while the body is still coming, and closes the connection', { timeout: 60_000 }, async () => {
    const { proxy } = await fixture();
    // The closing boundary is never sent: an answer can only be a refusal during the stream.
    const result = await rawUpload(proxy.url, '/api/registration/receipts', png(), RECEIPT_MAX_BYTES + 1, false);
    assert.deepEqual([result.status, result.finished], [413, false]);
  });

  it('stops reading a far larger upload soon after 5 MiB', { timeout: 60_000 }, async () => {
    const { proxy } = await fixture();
    const result = await rawUpload(proxy.url, '/api/registration/receipts', png(), 64 * 1024 * 1024);
    // The 413 goes out and the connection closes; a client still writing may then get a reset
    // that discards the answer before it is read (0). Either way the upload ends here.
    assert.ok([413, 0].includes(result.status), `status ${result.status}`);
    assert.ok(result.sent < 16 * 1024 * 1024, `the client wrote ${result.sent} bytes before the answer`);
  });

  it('refuses a declared Content-Length past the limit before reading the body', async () => {
    const { proxy } = await fixture();
    const answer = await declaredUpload(
      proxy.url,
      '/api/registration/receipts',
      { 'content-type': 'multipart/form-data; boundary=x' },
      RECEIPT_MAX_BYTES * 2,
      { expectContinue: true },
    );
    assert.deepEqual([answer.status, answer.continued, answer.connection], [413, false, 'close']);
  });

  it('answers clear errors for no file, two files, a JSON body and a broken multipart body', async () => {
    const { proxy, upload } = await fixture();
    const url = `${proxy.url}/api/registration/receipts`;
    const empty = await call(url, { method: 'POST', body: new FormData() });
    assert.deepEqual(
      [empty.status, empty.json.code, empty.json.details.fields.file],
      [400, 'validation_failed', ['Choose a file to upload']],
    );
    const two = formWith('a.png', png());
    two.append('second', new Blob([png()]), 'b.png');
    const twice = await call(url, { method: 'POST', body: two });
    assert.deepEqual([twice.status, twice.json.details.fields.file], [400, ['Send one file only']]);
    const json = await postJson(url, { file: 'x' });
    assert.deepEqual([json.status, json.json.code], [415, 'unsupported_media_type']);
    const broken = await call(url, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'nonsense' });
    assert.deepEqual([broken.status, broken.json.code], [415, 'unsupported_media_type']);
    const zero = await upload('empty.png', Buffer.alloc(0));
    assert.equal(zero.status, 415);
    const get = await call(url);
    assert.deepEqual([get.status, get.headers.get('allow')], [405, 'POST']);
  });

  it('gives every receipt an unguessable name: 128 random bits, none derived from another', async () => {
    const { upload, proxy } = await fixture({ receiptRateLimit: { limit: 0, windowMs: 60_000 } });
    const names: string[] = [];
    for (let i = 0; i < 20; i++)
      names.push(new URL((await upload('r.png', png())).json.receipt.paymentProofUrl).pathname.split('/').pop()!);
    assert.equal(new Set(names).size, 20);
    const ids = names.map((n) => Buffer.from(n.slice(0, 22), 'base64url'));
    assert.ok(ids.every((id) => id.length === 16));
    // Neighbours share no more bytes than chance would: a counter or a clock would share most.
    for (let i = 1; i < ids.length; i++) {
      const same = ids[i]!.filter((byte, k) => byte === ids[i - 1]![k]).length;
      assert.ok(same < 6, `${names[i - 1]} and ${names[i]} share ${same} of 16 bytes`);
    }
    const altered = names[0]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    assert.equal((await call(`${proxy.url}/api/registration/receipts/${altered}`)).status, 404);
    assert.equal((await call(`${proxy.url}/api/registration/receipts/..%2F..%2Fpackage.json`)).status, 404);
  });

  it('makes the link from PUBLIC_URL when it is set, whatever Host or X-Forwarded-Proto the request names', async () => {
    const { proxy } = await fixture({ publicUrl: 'https://register.example.org', trustProxy: 'loopback' });
    const answer = await call(`${proxy.url}/api/registration/receipts`, {
      method: 'POST',
      body: formWith('r.png', png()),
      headers: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'evil.example' },
    });
    assert.equal(answer.status, 201);
    const link = new URL(answer.json.receipt.paymentProofUrl);
    assert.equal(link.origin, 'https://register.example.org');
    // The same path on the proxy itself serves it: only the origin is the public one.
    assert.equal((await call(`${proxy.url}${link.pathname}`)).status, 200);
  });

  it('limits uploads per client: the 429 says when to retry', async () => {
    const { upload } = await fixture({ receiptRateLimit: { limit: 2, windowMs: 60_000 } });
    assert.equal((await upload('a.png', png())).status, 201);
    assert.equal((await upload('b.png', png())).status, 201);
    const third = await upload('c.png', png());
    assert.equal(third.status, 429);
    assert.equal(third.json.code, 'rate_limited');
    assert.ok(Number(third.headers.get('retry-after')) > 0);
  });

  it('keeps a receipt a registration uses and sweeps the one nobody used after a day', async () => {
    const { upload, proxy, receipts } = await fixture();
    const used = (await upload('used.png', png())).json.receipt.paymentProofUrl as string;
    const unused = (await upload('unused.pdf', pdf())).json.receipt.paymentProofUrl as string;
    const registered = await postJson(
      `${proxy.url}/api/registration`,
      person(1, { ticketTypeId: 'standard', paymentMethodId: PROOF_METHOD.id, paymentProofUrl: used }),
    );
    assert.equal(registered.status, 201);
    assert.equal(registered.json.registration.paymentProofUrl, used);
    assert.equal(await receipts.sweep(new Date()), 0, 'nothing is swept within the day');
    assert.equal(await receipts.sweep(new Date(Date.now() + 25 * 3600_000)), 1);
    assert.equal((await fetch(unused)).status, 404);
    const kept = await fetch(used);
    assert.equal(kept.status, 200);
    assert.deepEqual(Buffer.from(await kept.arrayBuffer()), png());
  });

  const withReceipt = (n: number, paymentProofUrl: string, extra: Record<string, unknown> = {}) =>
    person(n, { ticketTypeId: 'standard', paymentMethodId: PROOF_METHOD.id, paymentProofUrl, ...extra });

  it('refuses, at the receipt field, a submit whose receipt was swept, and registers nobody; uploaded again, it registers', async () => {
    const { upload, proxy, receipts } = await fixture();
    const stale = (await upload('old.png', png())).json.receipt.paymentProofUrl as string;
    assert.equal(await receipts.sweep(new Date(Date.now() + 25 * 3600_000)), 1);
    const refused = await postJson(`${proxy.url}/api/registration`, withReceipt(2, stale));
    assert.equal(refused.status, 400);
    assert.equal(refused.json.code, 'validation_failed');
    assert.deepEqual(refused.json.details.fields, { paymentProofUrl: ['The receipt is no longer stored; attach it again'] });
    // Had the first been stored, the same person again would be a duplicate (409).
    const fresh = (await upload('again.png', png())).json.receipt.paymentProofUrl as string;
    assert.equal((await postJson(`${proxy.url}/api/registration`, withReceipt(2, fresh))).status, 201);
  });

  it('with PUBLIC_URL, knows its own links by that origin: a swept one is refused, a kept one taken', async () => {
    const { upload, proxy, receipts } = await fixture({ publicUrl: 'https://register.example.org' });
    const stale = (await upload('old.png', png())).json.receipt.paymentProofUrl as string;
    assert.match(stale, /^https:\/\/register\.example\.org\//);
    await receipts.sweep(new Date(Date.now() + 25 * 3600_000));
    const refused = await postJson(`${proxy.url}/api/registration`, withReceipt(7, stale));
    assert.equal(refused.status, 400);
    assert.deepEqual(Object.keys(refused.json.details.fields), ['paymentProofUrl']);
    const fresh = (await upload('new.png', png())).json.receipt.paymentProofUrl as string;
    assert.equal((await postJson(`${proxy.url}/api/registration`, withReceipt(7, fresh))).status, 201);
    assert.equal(await receipts.sweep(new Date(Date.now() + 25 * 3600_000)), 0, 'kept by the registration');
  });

  it('gives a pending receipt a new day at each submit that names it, so a refused submit does not leave it to an early sweep', async () => {
    const uploadedAt = Date.now();
    let now = uploadedAt;
    const { upload, proxy, receipts } = await fixture({}, () => new Date(now));
    const link = (await upload('r.png', png())).json.receipt.paymentProofUrl as string;
    now = uploadedAt + 23 * 3600_000;
    const refused = await postJson(`${proxy.url}/api/registration`, withReceipt(3, link, { ticketTypeId: 'no-such-ticket' }));
    assert.equal(refused.status, 422);
    assert.equal(await receipts.sweep(new Date(uploadedAt + 25 * 3600_000)), 0, 'its day began again at the submit');
    assert.equal(await receipts.sweep(new Date(now + 25 * 3600_000)), 1);
  });

  it('takes a link to another site that merely has the receipts path, and a receipt already kept', async () => {
    const { upload, proxy } = await fixture();
    const elsewhere = 'https://elsewhere.example/api/registration/receipts/AAAAAAAAAAAAAAAAAAAAAA.png';
    assert.equal((await postJson(`${proxy.url}/api/registration`, withReceipt(4, elsewhere))).status, 201);
    const link = (await upload('r.png', png())).json.receipt.paymentProofUrl as string;
    assert.equal((await postJson(`${proxy.url}/api/registration`, withReceipt(5, link))).status, 201);
    assert.equal((await postJson(`${proxy.url}/api/registration`, withReceipt(6, link))).status, 201, 'kept, it is still stored');
  });
});
