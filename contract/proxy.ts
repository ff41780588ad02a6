import * as z from 'zod';
import { Registration } from './registration.js';

/**
 * What the proxy sends to browsers (SPEC §3, seed 000's route handler). The widget
 * imports these types (type-only), the proxy builds its answers from them.
 */
export const ProxyErrorBody = z.object({
  ok: z.literal(false),
  status: z.int(),
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ProxyErrorBody = z.infer<typeof ProxyErrorBody>;

export const ProxySubmitSuccess = z.object({ ok: z.literal(true), registration: Registration });
export type ProxySubmitSuccess = z.infer<typeof ProxySubmitSuccess>;

/** `POST /api/registration/receipts` (SPEC §3c): where the stored receipt is, to submit as `paymentProofUrl`. */
export const ProxyReceiptSuccess = z.object({
  ok: z.literal(true),
  receipt: z.object({ paymentProofUrl: z.string(), type: z.enum(['image/png', 'image/jpeg', 'application/pdf']), size: z.int() }),
});
export type ProxyReceiptSuccess = z.infer<typeof ProxyReceiptSuccess>;

/** A JSONP error (seed 004): the JSON error plus `Success: false`, `Code`, `Message`. */
export const JsonpErrorPayload = ProxyErrorBody.extend({
  Success: z.literal(false),
  Code: z.string(),
  Message: z.string(),
});
export type JsonpErrorPayload = z.infer<typeof JsonpErrorPayload>;
