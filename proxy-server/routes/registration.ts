import { Router, type Request, type RequestHandler } from 'express';
import type { ConferaPublicClient } from '../../client/index.js';
import { clientAddress } from '../../lib/client-address.js';
import type { Counters } from '../../lib/counters.js';
import type { Logger } from '../../lib/logger.js';
import type { ConfigCache } from '../config-cache.js';
import type { FormTokens } from '../form-token.js';
import { ProxyError } from '../errors.js';
import { jsonBody } from '../middleware/body-limit.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { jsonp, jsonpCallback, sendJsonp } from '../middleware/jsonp.js';
import { jsonpSubmitOrigin, refererVerdict } from '../middleware/jsonp-origin.js';
import { submitRateLimit, type SubmitRateLimitOptions } from '../middleware/rate-limit.js';
import { submissionFromBody, submissionFromJsonData, submissionOf } from '../middleware/submission.js';
import type { ProxySubmitSuccess } from '../../contract/index.js';
import type { ReceiptStore } from '../receipt-store.js';
import { linkOrigin, RECEIPTS_PATH } from './receipts.js';

/** Where `registrationRoutes` is mounted, and the one URL its fast paths answer (SPEC §3). */
export const REGISTRATION_PATH = '/api/registration';

export interface RegistrationRouterDeps {
  client: ConferaPublicClient;
  configCache: ConfigCache;
  allowedOrigins: '*' | readonly string[];
  formTokens?: FormTokens;
  rateLimit: SubmitRateLimitOptions;
  /** A submit limiter shared with other routes (the app's, SPEC §3b); made from `rateLimit` when absent. */
  limit?: RequestHandler;
  /** For the rate limiter's configuration warnings. */
  logger: Logger;
  /** Where the submit limit counts (SPEC §3e); default memory. */
  counters?: Counters;
  /** A registration that names an uploaded receipt keeps it from the sweep (SPEC §3c). */
  receipts?: ReceiptStore;
  /** The proxy's public origin (`PUBLIC_URL`); unset: the request's. Which receipt links are its own. */
  publicUrl?: string;
  /** For a receipt's day (`hold`); default the system clock. */
  clock?: () => Date;
}

/** The stored name in a proof URL of this proxy's receipts route, or undefined for any other URL. */
function receiptName(proofUrl: string | undefined): string | undefined {
  if (!proofUrl || !URL.canParse(proofUrl)) return undefined;
  const path = new URL(proofUrl).pathname;
  return path.startsWith(`${RECEIPTS_PATH}/`) ? path.slice(RECEIPTS_PATH.length + 1) : undefined;
}

/** `linkOrigin` as a URL's `origin` reads it (a lower-case host, no default port). */
function ownOrigin(req: Request, publicUrl: string | undefined): string | undefined {
  const own = linkOrigin(req, publicUrl);
  return URL.canParse(own) ? new URL(own).origin : undefined;
}

const receiptGone = () =>
  new ProxyError(400, 'validation_failed', 'Some fields are not valid', {
    details: { fields: { paymentProofUrl: ['The receipt is no longer stored; attach it again'] } },
  });

/** `GET ?method=post…` is seed 004's JSONP submit; any other GET reads the config. */
const jsonpSubmitsOnly: RequestHandler = function jsonpSubmitsOnly(req, _res, next) {
  const { method } = req.query;
  if (method === undefined) {
    next('route');
    return;
  }
  if (typeof method !== 'string' || method.toLowerCase() !== 'post') {
    throw new ProxyError(405, 'method_not_allowed', 'A JSONP request may only use method=post', { details: { allowed: ['post'] } });
  }
  next();
};

/**
 * The JSONP submit is a GET by nature (a script element). Any other method on its URL (a
 * `method` or `jsonData` parameter) is refused before routing: Express answers HEAD with the
 * GET route, which would run the submit, and a POST there would be taken for the JSON submit.
 */
const jsonpSubmitIsGetOnly: RequestHandler = function jsonpSubmitIsGetOnly(req, _res, next) {
  if (req.method === 'GET' || (req.query.method === undefined && req.query.jsonData === undefined)) {
    next();
    return;
  }
  throw new ProxyError(405, 'method_not_allowed', `${req.method} is not allowed for a JSONP submit; it is a GET`, {
    details: { allowed: ['GET'] },
    headers: { Allow: 'GET' },
  });
};

export interface RegistrationRoutes {
  router: Router;
  /** The CORS submit's handlers, in order, for `submitFastPath`. */
  submit: readonly RequestHandler[];
}

/**
 * `/api/registration` (SPEC §3, seed 000's route handler): the config and the submit, each
 * as JSON (CORS) and as JSONP. Mounted at its path, so that its siblings (receipts, SPEC §3c)
 * get routers of their own.
 */
export function registrationRoutes(deps: RegistrationRouterDeps): RegistrationRoutes {
  const router = Router();
  // One limiter for both forms of the submit: one budget per client.
  const limit = deps.limit ?? submitRateLimit(deps.rateLimit, deps.logger, deps.counters);

  const readConfig: RequestHandler = async function readConfig(req, res) {
    const cached = await deps.configCache.get();
    const callback = jsonpCallback(res);
    // A JSONP page is here because CORS failed; if its origin is refused, say so (the config
    // stays readable: it is public), so the widget can offer the hosted form instead.
    if (callback)
      sendJsonp(
        res,
        callback,
        refererVerdict(deps.allowedOrigins, req) === 'refused' ? `${cached.json.slice(0, -1)},"origin_allowed":false}` : cached.json,
      );
    else res.set('Cache-Control', 'no-store').type('application/json').send(cached.json);
  };

  const submit: RequestHandler = async function submit(req, res) {
    const { body, idempotencyKey } = submissionOf(res);
    // The visitor's address goes with the submit, so that the backend's limits are per key
    // and visitor, not one budget for every visitor of this proxy (SPEC §3e).
    const address = clientAddress(req);
    const receipt = receiptName(body.paymentProofUrl);
    // A link to one of this proxy's receipts that is no longer stored (swept a day after the
    // upload, or never uploaded here) is refused before the registration is made: stored, it
    // would point the organiser at nothing, and the visitor can still upload it again.
    let held: 'pending' | 'kept' | null | undefined;
    if (receipt && deps.receipts && new URL(body.paymentProofUrl!).origin === ownOrigin(req, deps.publicUrl)) {
      held = await deps.receipts.hold(receipt, (deps.clock ?? (() => new Date()))());
      if (!held) throw receiptGone();
    }
    const created = await deps.client.registrations.create(body, {
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(address === undefined ? {} : { clientAddress: address }),
    });
    // The registration is stored whatever happens here; a receipt not kept is only swept early.
    if (receipt && deps.receipts) {
      const kept = await deps.receipts.keep(receipt).catch((error: unknown) => {
        deps.logger.warn({ code: (error as NodeJS.ErrnoException).code }, 'keeping a receipt failed');
        return true; // said already
      });
      // Held pending a moment ago and gone now: only a sweep that had judged it before the hold
      // (the day's last microseconds) does that; the registration links nothing. Said, not hidden.
      if (!kept && held === 'pending') deps.logger.warn('a receipt held for a registration was swept before it was kept');
    }
    const json = JSON.stringify({ ok: true, registration: created.data } satisfies ProxySubmitSuccess);
    const callback = jsonpCallback(res);
    if (callback) sendJsonp(res, callback, json);
    else res.status(201).set('Cache-Control', 'no-store').type('application/json').send(json);
  };

  const corsSubmit = [limit, jsonBody, submissionFromBody, submit];
  router.all('/', jsonpSubmitIsGetOnly);
  router.get('/', jsonp, jsonpSubmitsOnly, jsonpSubmitOrigin(deps.allowedOrigins, deps.formTokens), limit, submissionFromJsonData, submit);
  router
    .route('/')
    .get(readConfig)
    .post(...corsSubmit)
    .all(methodNotAllowed(['GET', 'POST']));
  return { router, submit: corsSubmit };
}
