import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { renderReceipt } from '../../widget/internal/receipt.js';
import { stringsFor } from '../../widget/internal/strings/index.js';
import type { ConferaRegistration } from '../../widget/confera-registration.js';
import { $, fillPerson, mount, pick, registrationsOf, requestsSeen, serve, submit, summaryText, until, type Served } from './support.js';

/** A payment method that asks for the receipt (SPEC §3c), beside the test conference's paid ticket. */
const PROOF = {
  id: 'transfer-receipt',
  name: 'Bank transfer, receipt attached',
  kind: 'bank_transfer',
  instructions: 'IBAN DE00 0000',
  reference_required: false,
  proof_required: true,
};

/** The first bytes of a PNG: enough for the proxy to recognise one. */
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0,
]);

/** Chooses a file in the receipt input as a person would (the input's `files`, then `change`). */
function choose(el: ConferaRegistration, file: File) {
  const input = $<HTMLInputElement>(el, '#f-paymentProofUrl')!;
  const picked = new DataTransfer();
  picked.items.add(file);
  input.files = picked.files;
  input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

const status = (el: ConferaRegistration) => $(el, '#f-paymentProofUrl ~ [role=status]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

async function payingByReceipt(served: Served, attributes: Record<string, string> = {}) {
  const el = await mount(served, attributes);
  await pick(el, 'ticketTypeId', 'standard');
  await pick(el, 'paymentMethodId', PROOF.id);
  await fillPerson(el, 'receipt');
  // Over JSONP no file input comes; otherwise it comes with the receipt module.
  if (attributes.transport !== 'jsonp') await until(() => $(el, 'input[type=file]'), 5_000, 'the file input');
  return el;
}

/** Chooses a PNG named `name` and waits until the widget says it is attached. */
async function attachPng(el: ConferaRegistration, name: string) {
  choose(el, new File([PNG], name, { type: 'image/png' }));
  await until(() => status(el).includes(`${name} is attached`), 5_000, `the upload of ${name}`);
}

describe('<confera-registration> receipts', () => {
  it('uploads the chosen file with its name shown, and registers with the receipt URL it got', async () => {
    const served = await serve({ conference: { payment_methods: [PROOF] } });
    const el = await payingByReceipt(served);
    const label = $(el, 'label[for=f-paymentProofUrl]')!.textContent!;
    expect(label).to.contain('Payment receipt');
    expect($(el, '#f-paymentProofUrl')!.getAttribute('accept')).to.contain('application/pdf');
    choose(el, new File([PNG], 'transfer.png', { type: 'image/png' }));
    await el.updateComplete;
    expect(status(el)).to.contain('Uploading transfer.png');
    await until(() => status(el).includes('transfer.png is attached'), 5_000, 'the upload');
    await submit(el);
    expect($(el, '.reference')).not.to.equal(null);
    const [registration] = (await registrationsOf(served)) as { paymentProofUrl?: string }[];
    expect(registration!.paymentProofUrl).to.match(/\/api\/registration\/receipts\/[\w-]{22}\.png$/);
    const served$ = await fetch(registration!.paymentProofUrl!);
    expect(served$.headers.get('content-type')).to.equal('image/png');
    expect(new Uint8Array(await served$.arrayBuffer())).to.deep.equal(PNG);
  });

  it('replaces the receipt with the next file chosen', async () => {
    const served = await serve({ conference: { payment_methods: [PROOF] } });
    const el = await payingByReceipt(served);
    await attachPng(el, 'first.png');
    await attachPng(el, 'second.png');
    await submit(el);
    const uploads = (await requestsSeen(served)).filter((r) => r.path.endsWith('/receipts'));
    expect(uploads).to.have.length(2);
    const [registration] = (await registrationsOf(served)) as { paymentProofUrl?: string }[];
    expect(registration!.paymentProofUrl).to.match(/\.png$/);
  });

  it('forgets the receipt when the choice is cleared: the form then asks for one', async () => {
    const served = await serve({ conference: { payment_methods: [PROOF] } });
    const el = await payingByReceipt(served);
    await attachPng(el, 'first.png');
    const input = $<HTMLInputElement>(el, '#f-paymentProofUrl')!;
    input.files = new DataTransfer().files;
    input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(status(el)).to.equal('');
    await submit(el);
    expect(summaryText(el)).to.contain('Payment receipt');
    expect(await registrationsOf(served)).to.have.length(0);
  });

  it('refuses a file that is not a PNG, JPEG or PDF, or over 5 MB, before sending it, and keeps the input', async () => {
    const served = await serve({ conference: { payment_methods: [PROOF] } });
    const el = await payingByReceipt(served);
    choose(el, new File(['<script>alert(1)</script>'], 'receipt.html', { type: 'text/html' }));
    await el.updateComplete;
    expect($(el, '#e-paymentProofUrl')!.textContent).to.contain('Choose a PNG, JPEG or PDF file of at most 5 MB');
    expect($(el, '#f-paymentProofUrl')!.getAttribute('aria-invalid')).to.equal('true');
    choose(el, new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' }));
    await el.updateComplete;
    expect($(el, '#e-paymentProofUrl')).not.to.equal(null);
    expect((await requestsSeen(served)).some((r) => r.path.endsWith('/receipts'))).to.equal(false);
    await submit(el);
    expect(summaryText(el)).to.contain('Payment receipt');
    expect(($(el, '#f-firstName') as HTMLInputElement).value).to.equal('Julie');
  });

  it('shows the proxy’s refusal of a file whose content is not what its name says', async () => {
    const served = await serve({ conference: { payment_methods: [PROOF] } });
    const el = await payingByReceipt(served);
    choose(el, new File(['MZ not really a png'], 'receipt.png', { type: 'image/png' }));
    await until(() => $(el, '#e-paymentProofUrl'), 5_000, 'the refusal');
    expect($(el, '#e-paymentProofUrl')!.textContent).to.contain('Choose a PNG, JPEG or PDF file');
    expect(status(el)).to.equal('');
  });

  it('over JSONP, where no file can go, asks for a link and says why', async () => {
    const served = await serve({ conference: { payment_methods: [PROOF] } });
    const el = await payingByReceipt(served, { transport: 'jsonp' });
    await import('../../widget/internal/receipt.js'); // the module the widget fetched, once it is here
    el.requestUpdate();
    await el.updateComplete;
    expect($(el, 'input[type=file]')).to.equal(null);
    const link = $<HTMLInputElement>(el, '#f-paymentProofUrl')!;
    expect(link.type).to.equal('url');
    expect($(el, '#h-paymentProofUrl')!.textContent).to.contain('This page cannot send files');
  });

  describe('the field with a problem at it', () => {
    const shown = (receipt: { name: string; done: number } | undefined, problem: string) => {
      const box = document.createElement('div');
      render(renderReceipt(html, stringsFor('en')!, receipt, problem), box);
      return box;
    };

    it('no longer says a receipt is attached (the proxy may not have it any more)', () => {
      const box = shown({ name: 'transfer.png', done: 1 }, 'The receipt is no longer stored; attach it again');
      expect(box.querySelector('[role=status]')!.textContent).not.to.contain('attached');
    });

    it('still shows an upload in progress', () => {
      const box = shown({ name: 'transfer.png', done: 0.5 }, 'Required');
      expect(box.querySelector('[role=status] progress')).not.to.equal(null);
    });

    it('forgets the choice when the picker opens, so that the same file chosen again is sent again', () => {
      const box = shown({ name: 'transfer.png', done: 1 }, 'The receipt is no longer stored; attach it again');
      const input = box.querySelector<HTMLInputElement>('input[type=file]')!;
      const picked = new DataTransfer();
      picked.items.add(new File([PNG], 'transfer.png', { type: 'image/png' }));
      input.files = picked.files;
      input.addEventListener('click', (event) => event.preventDefault()); // no picker in a test
      input.click();
      expect(input.files.length).to.equal(0);
    });
  });
});
