import type { html as Html, TemplateResult } from 'lit';
import type { Strings } from './strings/index.js';

/**
 * The receipt upload (SPEC §3c): a module of its own beside the bundle, fetched when the
 * config has a payment method with `proof_required`, so that forms without one do not pay for
 * it (issue 13: the bundle has a 16 KB budget). Type imports only: a value imported from the
 * bundle would turn into an import of the bundle by URL. Lit's `html` comes as an argument,
 * so that Lit is never loaded twice.
 */

/** The receipt chosen: its file name and the fraction sent (1 once attached). */
export interface Receipt {
  name: string;
  done: number;
}

/** What the component shows: the receipt, its URL once stored, a problem to show at the field. */
export type ShowReceipt = (receipt?: Receipt, proofUrl?: string, problem?: string) => void;

const ACCEPT = /^(image\/(png|jpeg)|application\/pdf)$/;
const MAX_BYTES = 5 * 1024 * 1024;

/**
 * With a problem at the field, opening the picker forgets the choice it shows: browsers fire
 * no `change` for the same file chosen again, and attaching it again is what the visitor is
 * asked to do (a receipt the proxy no longer has, a failed upload).
 */
const clearChoice = (event: Event) => ((event.target as HTMLInputElement).value = '');

/** The file input with its label, hint, message and upload status (fields.ts's markup, for one field). */
export function renderReceipt(html: typeof Html, s: Strings, receipt: Receipt | undefined, problem: string | undefined): TemplateResult {
  const file = (text: string) => text.replace('{file}', receipt?.name ?? '');
  return html`<div class="field" part="field">
    <label for="f-paymentProofUrl" part="label">${s.receipt}<span class="mark" aria-hidden="true">*</span></label>
    <p class="hint" id="h-paymentProofUrl" part="hint">${s.receiptHint}</p>
    ${problem ? html`<p class="problem" id="e-paymentProofUrl" part="error">${problem}</p>` : ''}
    <input
      type="file"
      id="f-paymentProofUrl"
      accept="image/png,image/jpeg,application/pdf,.png,.jpg,.jpeg,.pdf"
      required
      aria-describedby="h-paymentProofUrl${problem ? ' e-paymentProofUrl' : ''}"
      aria-invalid=${problem ? 'true' : 'false'}
      part="input"
      @click=${problem ? clearChoice : undefined}
    />
    <p class="hint" role="status">
      ${
        // A problem replaces "attached" (a receipt the proxy no longer has is not), not the progress.
        receipt && !(problem && receipt.done >= 1)
          ? receipt.done < 1
            ? html`${file(s.uploading)} <progress max="1" .value=${receipt.done}></progress>`
            : file(s.uploaded)
          : ''
      }
    </p>
  </div>`;
}

/** The proxy's error answer as the visitor reads it at the field. */
function problemOf(status: number, body: any, s: Strings): string {
  const code = body?.code;
  if (code === 'unsupported_file_type' || code === 'payload_too_large') return s.receiptFile;
  if (code === 'rate_limited') return s.rateLimited.replace('{seconds}', String(body.details?.retry_after_seconds ?? 60));
  return status ? s.failed : s.network;
}

/**
 * Uploads `file` to the receipts route beside the widget's `endpoint` (its query, the hosted form's token,
 * kept) and reports to `show` as it goes: what the proxy would refuse is refused before a
 * byte is sent. XMLHttpRequest, not fetch: only it reports upload progress; the caller
 * aborts it when another file replaces this one (an aborted request reports nothing).
 */
export function attach(
  file: File | undefined,
  widget: { endpoint: string; timeout: number },
  s: Strings,
  show: ShowReceipt,
): XMLHttpRequest | undefined {
  if (!file) return void show(); // the choice was cleared: so is the receipt
  if (file.size > MAX_BYTES || !ACCEPT.test(file.type)) {
    show(undefined, undefined, s.receiptFile);
    return undefined;
  }
  const url = new URL(widget.endpoint, document.baseURI);
  url.pathname = url.pathname.replace(/\/?$/, '/receipts');
  const body = new FormData();
  body.append('file', file);
  const xhr = new XMLHttpRequest();
  const name = file.name;
  xhr.open('POST', url);
  xhr.responseType = 'json';
  xhr.timeout = widget.timeout * 4;
  xhr.upload.onprogress = (e) => show({ name, done: Math.min(e.loaded / (e.total || 1), 0.99) });
  xhr.onerror = xhr.ontimeout = () => show(undefined, undefined, problemOf(0, null, s));
  xhr.onload = () => {
    const answer = xhr.response;
    if (answer?.ok) show({ name, done: 1 }, answer.receipt.paymentProofUrl);
    else show(undefined, undefined, problemOf(xhr.status, answer, s));
  };
  show({ name, done: 0 });
  xhr.send(body);
  return xhr;
}
