import { expect, oneEvent } from '@open-wc/testing';
import type { ConferaErrorEvent } from '../../widget/confera-registration.js';
import {
  $,
  fillPerson,
  mount,
  pick,
  registerDirectly,
  registrationsOf,
  requestsSeen,
  serve,
  setFront,
  submit,
  summaryText,
  type Served,
} from './support.js';

const leftovers = () => ({
  scripts: [...document.querySelectorAll('script')].filter((s) => s.src.includes('callback=')).length,
  globals: Object.keys(window).filter((key) => key.startsWith('__confera_')).length,
});

async function register(served: Served, n: string, attributes: Record<string, string>) {
  const el = await mount(served, attributes);
  await pick(el, 'ticketTypeId', 'free');
  await fillPerson(el, n);
  await submit(el);
  return el;
}

describe('<confera-registration> transport', () => {
  it('uses CORS by default: a fetch with the Idempotency-Key header, no JSONP', async () => {
    const served = await serve();
    const el = await register(served, 'cors', {});
    expect($(el, '.reference')).not.to.equal(null);
    const posts = (await requestsSeen(served)).filter((r) => r.method === 'POST');
    expect(posts).to.have.length(1);
    expect(posts[0]!.idempotencyKey).to.match(/^[0-9a-f]{32}$/);
    expect((await requestsSeen(served)).some((r) => r.submissionId)).to.equal(false);
  });

  it('falls back to JSONP when CORS fails at the network level (answers stripped of their CORS headers)', async () => {
    const served = await serve();
    await setFront(served, 'strip-cors');
    const el = await register(served, 'fallback', {});
    expect($(el, '.reference')).not.to.equal(null);
    const seen = await requestsSeen(served);
    const jsonpSubmit = seen.find((r) => r.submissionId);
    expect(jsonpSubmit, 'a JSONP submit with its submissionId').to.not.equal(undefined);
    expect(jsonpSubmit!.submissionId).to.match(/^[0-9a-f]{32}$/);
    expect(await registrationsOf(served)).to.have.length(1);
    expect(leftovers()).to.deep.equal({ scripts: 0, globals: 0 });
  });

  it('does not fall back on an HTTP error: a refusal is an answer', async () => {
    const served = await serve();
    expect(
      await registerDirectly(served, {
        firstName: 'Julie',
        lastName: 'Everettdup',
        email: 'julie.everettdup@example.org',
        ticketTypeId: 'free',
      }),
    ).to.equal(201);
    const el = await register(served, 'dup', {});
    expect(summaryText(el)).to.contain('already registered');
    expect((await requestsSeen(served)).some((r) => r.submissionId)).to.equal(false);
  });

  it('transport="jsonp" uses JSONP only, for the config and the submit, and cleans up after itself', async () => {
    const served = await serve();
    const el = await register(served, 'jsonp', { transport: 'jsonp' });
    expect($(el, '.reference')).not.to.equal(null);
    const posts = (await requestsSeen(served)).filter((r) => r.method === 'POST');
    expect(posts).to.have.length(0);
    expect(leftovers()).to.deep.equal({ scripts: 0, globals: 0 });
  });

  it('transport="cors" never uses JSONP: a CORS failure is a network failure', async () => {
    const served = await serve();
    await setFront(served, 'strip-cors');
    const el = document.createElement('confera-registration');
    const failed = oneEvent(el, 'confera-error') as Promise<ConferaErrorEvent>;
    el.setAttribute('transport', 'cors');
    el.setAttribute('endpoint', served.endpoint);
    document.body.append(el);
    expect((await failed).detail.error.code).to.equal('network_error');
    expect((await requestsSeen(served)).every((r) => !r.path.includes('callback'))).to.equal(true);
    el.remove();
  });

  it('maps JSONP error payloads (Success: false) to the same messages as CORS, and keeps the input', async () => {
    const served = await serve();
    expect(
      await registerDirectly(served, {
        firstName: 'Julie',
        lastName: 'Everettjdup',
        email: 'julie.everettjdup@example.org',
        ticketTypeId: 'free',
      }),
    ).to.equal(201);
    const el = await register(served, 'jdup', { transport: 'jsonp' });
    expect(summaryText(el)).to.contain('Julie Everettjdup (julie.everettjdup@example.org) is already registered for this event.');
    expect($<HTMLInputElement>(el, '#f-lastName')!.value).to.equal('Everettjdup');
    expect(leftovers()).to.deep.equal({ scripts: 0, globals: 0 });
  });

  it('JSONP: a timeout is reported, the script and the global are removed, and the retry uses the same submissionId', async () => {
    const served = await serve();
    const el = await mount(served, { transport: 'jsonp', timeout: '300' });
    await pick(el, 'ticketTypeId', 'free');
    await fillPerson(el, 'jslow');
    await setFront(served, 'hold', 1_000);
    await submit(el);
    expect(summaryText(el)).to.contain('did not answer in time');
    expect(leftovers()).to.deep.equal({ scripts: 0, globals: 0 });
    await setFront(served, 'pass');
    // The late answer of the first attempt arrives after its callback is gone, and does nothing.
    await new Promise((resolve) => setTimeout(resolve, 900));
    await submit(el);
    expect($(el, '.reference')).not.to.equal(null);
    const ids = (await requestsSeen(served)).map((r) => r.submissionId).filter(Boolean);
    expect(ids).to.have.length(2);
    expect(ids[0]).to.equal(ids[1]);
    expect(await registrationsOf(served)).to.have.length(1);
  });

  it('JSONP: answers too long for a URL fail with a clear message, before anything is sent', async () => {
    const served = await serve({ conference: { fields: [{ key: 'bio', label: 'Bio', type: 'textarea', max_length: 4096 }] } });
    const el = await mount(served, { transport: 'jsonp' });
    await pick(el, 'ticketTypeId', 'free');
    await fillPerson(el, 'long');
    const bio = $<HTMLTextAreaElement>(el, '#f-bio')!;
    bio.value = 'ü'.repeat(4090); // 8,180 bytes of UTF-8, with the rest over 8 KiB
    bio.dispatchEvent(new Event('input', { bubbles: true }));
    await submit(el);
    expect(summaryText(el)).to.contain('Your answers are too long to send over this connection');
    expect((await requestsSeen(served)).filter((r) => r.submissionId)).to.have.length(0);
  });
});
