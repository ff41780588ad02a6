import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type RequestHandler } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import type { ProxyReceiptSuccess } from '../../contract/index.js';
import { sendContinue } from '../../lib/http-server.js';
import type { Logger } from '../../lib/logger.js';
import type { Counters } from '../../lib/counters.js';
import { ProxyError } from '../errors.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { clientRateLimit } from '../middleware/rate-limit.js';
import { RECEIPT_NAME, RECEIPT_TYPES, type ReceiptExtension, type ReceiptStore } from '../receipt-store.js';

/** SPEC §3c: a receipt is at most 5 MiB. */
export const RECEIPT_MAX_BYTES = 5 * 1024 * 1024;
/** What a multipart body may hold beyond the file: its boundaries and part headers. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;
/** file-type reads at most this many bytes to recognise a type. */
const SNIFF_BYTES = 4100;
/** The origin this proxy's receipt links name: `PUBLIC_URL`, or the request's own. */
export function linkOrigin(req: Request, publicUrl: string | undefined): string {
  return publicUrl ?? `${req.protocol}://${req.host}`;
}

/** Where a stored receipt is served, below the router's mount point. */
export const RECEIPTS_PATH = '/api/registration/receipts';

const EXTENSIONS: Record<string, ReceiptExtension> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'application/pdf': 'pdf' };

const tooLarge = () => new ProxyError(413, 'payload_too_large', 'The receipt is larger than 5 MiB');
const wrongType = () =>
  new ProxyError(415, 'unsupported_file_type', 'The receipt must be a PNG, JPEG or PDF file', {
    details: { accepted: Object.values(RECEIPT_TYPES) },
  });
const invalid = (message: string) => new ProxyError(400, 'validation_failed', message, { details: { fields: { file: [message] } } });

/**
 * Reads the one file of a multipart body and recognises its type by its first bytes (file-type),
 * never by its name or the browser's claim. Gives up the moment the file passes 5 MiB or its
 * first bytes are not a PNG, JPEG or PDF: the request is then paused, never drained, and its
 * connection closes once the error is out (as lib/json-body.ts does for JSON).
 */
function readReceipt(req: IncomingMessage): Promise<{ bytes: Buffer; extension: ReceiptExtension }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers, // busboy signals `limit` on reaching fileSize, so one byte past the maximum is what it counts to.
        limits: { files: 1, fileSize: RECEIPT_MAX_BYTES + 1, fields: 0, parts: 4 },
      });
    } catch {
      reject(new ProxyError(415, 'unsupported_media_type', 'Send the receipt as multipart/form-data'));
      return;
    }
    let settled = false;
    let extension: ReceiptExtension | undefined;
    let seenFile = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: ProxyError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.pause();
      parser.removeAllListeners();
      parser.on('error', () => {});
      chunks.length = 0;
      reject(error);
    };
    const sniff = async () => {
      try {
        const type = await fileTypeFromBuffer(Buffer.concat(chunks, size).subarray(0, SNIFF_BYTES));
        extension = type && EXTENSIONS[type.mime];
      } catch {
        extension = undefined; // what the sniffer cannot read is no receipt
      }
      if (!extension) fail(wrongType());
    };
    let sniffing: Promise<void> | undefined;
    parser.on('file', (_name, file) => {
      if (seenFile) {
        file.resume();
        return;
      }
      seenFile = true;
      file.on('data', (chunk: Buffer) => {
        if (settled) return;
        chunks.push(chunk);
        size += chunk.length;
        if (!sniffing && size >= SNIFF_BYTES) sniffing = sniff();
      });
      file.on('limit', () => fail(tooLarge()));
      file.on('end', () => {
        if (settled) return;
        // An empty file sniffs as no type: 415.
        sniffing ??= sniff();
      });
    });
    parser.on('filesLimit', () => fail(invalid('Send one file only')));
    parser.on('error', () => fail(new ProxyError(400, 'invalid_multipart', 'The upload was not a valid multipart/form-data body')));
    parser.on('close', () => {
      if (settled) return;
      if (!seenFile) {
        fail(invalid('Choose a file to upload'));
        return;
      }
      void (sniffing ?? Promise.resolve()).then(() => {
        if (settled || !extension) return;
        settled = true;
        resolve({ bytes: Buffer.concat(chunks, size), extension });
      });
    });
    const cutOff = () => fail(new ProxyError(400, 'invalid_multipart', 'The upload was not received whole'));
    // Gone already (while the rate limiter asked Redis): `close` has fired and will not again.
    if (req.destroyed) return cutOff();
    req.once('close', () => req.complete || cutOff());
    req.pipe(parser);
  });
}

export interface ReceiptsRouterDeps {
  receipts: ReceiptStore;
  rateLimit: { limit: number; windowMs: number };
  logger: Logger;
  /** Where the upload limit counts (SPEC §3e); default memory. */
  counters?: Counters;
  /** The proxy's public origin (`PUBLIC_URL`) for the links it answers; unset: the request's. */
  publicUrl?: string;
}

/**
 * Receipts (SPEC §3c): `POST /` takes one PNG, JPEG or PDF of at most 5 MiB as multipart and
 * answers the `paymentProofUrl` to submit; `GET /:name` serves it back. A stored receipt can be
 * read by whoever has its URL (128 random bits), as the organiser does from the registration;
 * it is served as what it was sniffed to be, never sniffed again by the browser, in a sandbox,
 * so that no upload can ever run as a page of the proxy's origin.
 */
export function receiptsRouter(deps: ReceiptsRouterDeps): Router {
  const router = Router();
  const limit = clientRateLimit(deps.rateLimit, deps.logger, deps.counters, { name: 'proxy:receipts', what: 'uploads' });

  const upload: RequestHandler = async function upload(req, res) {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) {
      throw new ProxyError(415, 'unsupported_media_type', 'Send the receipt as multipart/form-data');
    }
    // Refused before a byte is read (or invited: `Expect: 100-continue`).
    if (Number(req.headers['content-length']) > RECEIPT_MAX_BYTES + MULTIPART_OVERHEAD_BYTES) throw tooLarge();
    sendContinue(req, res);
    // A refusal before the body is all in closes the connection (lib/http-server.ts).
    const receipt = await readReceipt(req);
    const name = await deps.receipts.save(receipt.bytes, receipt.extension);
    const body: ProxyReceiptSuccess = {
      ok: true,
      receipt: {
        paymentProofUrl: `${linkOrigin(req, deps.publicUrl)}${RECEIPTS_PATH}/${name}`,
        type: RECEIPT_TYPES[receipt.extension],
        size: receipt.bytes.length,
      },
    };
    res.status(201).set('Cache-Control', 'no-store').json(body);
  };

  const serve: RequestHandler = async function serve(req, res) {
    const name = String(req.params.name);
    const file = RECEIPT_NAME.test(name) ? await deps.receipts.open(name) : null;
    if (!file) throw new ProxyError(404, 'not_found', 'There is no receipt at this address');
    const extension = name.slice(name.lastIndexOf('.') + 1) as ReceiptExtension;
    res.status(200).set({
      'Content-Type': RECEIPT_TYPES[extension],
      'X-Content-Type-Options': 'nosniff',
      // An image opens in the tab; a PDF is downloaded (browsers' viewers refuse a sandbox).
      'Content-Disposition': `${extension === 'pdf' ? 'attachment' : 'inline'}; filename="receipt.${extension}"`,
      'Content-Security-Policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
      'Cache-Control': 'private, no-store',
      // Opened by following its link (a navigation, which this does not stop), never
      // embedded by another site: the proxy is no free image host.
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Content-Length': String(file.size),
    });
    // Streamed: a slow reader holds a file handle and a socket's buffer, never the whole file.
    // A reader who leaves mid-download is no failure of ours.
    await pipeline(file.stream, res).catch(() => {});
  };

  router
    .route('/')
    .post(limit, upload)
    .all(methodNotAllowed(['POST']));
  router
    .route('/:name')
    .get(serve)
    .all(methodNotAllowed(['GET']));
  return router;
}
