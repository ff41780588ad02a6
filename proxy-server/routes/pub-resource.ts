import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ConferaPublicClient } from '../../client/index.js';
import { fieldErrors, IdempotencyKey, LIMITS, PubRegistration, Region, type Config, type FieldErrors } from '../../contract/index.js';
import type { Logger } from '../../lib/logger.js';
import { clientAddress } from '../../lib/client-address.js';
import { strictJsonReviver } from '../../lib/strict-json.js';
import type { ConfigCache } from '../config-cache.js';
import { ProxyError } from '../errors.js';
import { jsonBody } from '../middleware/body-limit.js';
import { jsonp, jsonpCallback, sendJsonp } from '../middleware/jsonp.js';
import { jsonpSubmitOrigin } from '../middleware/jsonp-origin.js';
import { paymentRequired, pubResourceErrors } from '../middleware/pub-resource-errors.js';
import { chooseFreeTicket, toCreateRegistration, toPubRegistration } from '../pub-resource-mapping.js';

/** Where the app mounts this router; the resource is `{EventID}/registrations/` below it. */
export const PUB_RESOURCE_BASE = '/api/2012-02-01/pub/resources/events';
const PATH = '/:eventId/registrations/';

export interface PubResourceRouterDeps {
  client: ConferaPublicClient;
  configCache: ConfigCache;
  allowedOrigins: '*' | readonly string[];
  /** The submit rate limiter the app shares with `/api/registration`: one budget per client. */
  limit: RequestHandler;
  logger: Logger;
}

const invalid = (fields: FieldErrors) => new ProxyError(400, 'validation_failed', 'Some fields are not valid', { details: { fields } });

/** Seed 004: "HTTP GET Not supported", nor PUT, DELETE (nor HEAD, which Express would route to the JSONP submit). */
const postOnly: RequestHandler = function postOnly(req, _res, next) {
  if (req.method === 'POST' || req.method === 'GET') return next();
  throw new ProxyError(405, 'method_not_allowed', `${req.method} is not supported: this resource is write-only, use POST`, {
    headers: { Allow: 'POST' },
  });
};

/** The JSONP form is a POST tunnelled through GET: `method=post` is required. */
const jsonpPostOnly: RequestHandler = function jsonpPostOnly(req, _res, next) {
  const { method } = req.query;
  if (typeof method === 'string' && method.toLowerCase() === 'post') return next();
  throw new ProxyError(405, 'method_not_allowed', 'GET is not supported: this resource is write-only; a JSONP request needs method=post', {
    headers: { Allow: 'POST' },
  });
};

/**
 * Seed 004's 406: the answer is JSON, and the request must say it takes JSON, by `format=json`
 * or by an Accept header that includes it. A request without either is refused (seed 004:
 * "does not contain any valid Accept header, or any &format= query value"); the JSONP form
 * needs `format=json` ("all parameters are required"), a script tag's Accept says nothing.
 */
const acceptsJson: RequestHandler = function acceptsJson(req, res, next) {
  const { format } = req.query;
  const accept = req.get('accept')?.trim();
  const ok = format !== undefined ? format === 'json' : !jsonpCallback(res) && !!accept && req.accepts('application/json') !== false;
  if (ok) return next();
  throw new ProxyError(406, 'not_acceptable', 'This resource answers in JSON only: send Accept: application/json or format=json');
};

/** `jsonData`, ≤ 8 KiB, with one pair of enclosing double quotes tolerated (seed 004's error example has them). */
function readJsonData(req: Request): unknown {
  const { jsonData } = req.query;
  if (typeof jsonData !== 'string' || jsonData === '') throw invalid({ jsonData: ['Required'] });
  if (Buffer.byteLength(jsonData, 'utf8') > LIMITS.jsonDataBytes) {
    throw new ProxyError(413, 'payload_too_large', `jsonData is larger than ${LIMITS.jsonDataBytes / 1024} KiB`);
  }
  const text = /^"\s*\{[\s\S]*\}\s*"$/.test(jsonData) ? jsonData.slice(1, -1) : jsonData;
  try {
    return JSON.parse(text, strictJsonReviver);
  } catch {
    // Never the parser's message: it quotes the input (personal data).
    throw new ProxyError(400, 'invalid_json', 'jsonData is not valid JSON');
  }
}

/**
 * The body (or `jsonData`), the `region` and the idempotency key, all checked before the
 * backend is called, their field errors together. `SubmissionId` (or `submissionId`) at the
 * top is the JSONP form's idempotency key (it cannot send headers), taken out before the
 * strict parse; the `Idempotency-Key` header wins when both are there.
 */
function parseSubmission(req: Request, raw: unknown) {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid({ '(body)': ['Must be a JSON object'] });
  const { SubmissionId, submissionId, ...rest } = raw as Record<string, unknown>;
  const fields: FieldErrors = {};
  const region = Region.safeParse(req.query.region);
  if (!region.success) fields.region = region.error.issues.map((issue) => issue.message);
  const headerKey = req.get('idempotency-key');
  if (SubmissionId !== undefined && submissionId !== undefined) fields.SubmissionId = ['Give SubmissionId or submissionId, not both'];
  const keySource = headerKey !== undefined ? 'Idempotency-Key' : SubmissionId !== undefined ? 'SubmissionId' : 'submissionId';
  const candidate = headerKey ?? SubmissionId ?? submissionId;
  const key = candidate === undefined ? undefined : IdempotencyKey.safeParse(candidate);
  if (key && !key.success) fields[keySource] = key.error.issues.map((issue) => issue.message);
  const body = PubRegistration.safeParse(rest);
  if (!body.success) Object.assign(fields, fieldErrors(body.error.issues));
  if (!region.success || !body.success || Object.keys(fields).length > 0) throw invalid(fields);
  return { body: body.data, region: region.data, idempotencyKey: key?.data };
}

/**
 * `POST /api/2012-02-01/pub/resources/events/{EventID}/registrations/?region=nz` and its
 * JSONP form (seed 004, SPEC §3b), mapped onto the Confera create call with the proxy's
 * typed client. The proxy serves one conference, its key's: `EventID` is that conference's
 * id. The event is checked first (404 unknown or closed, 422 no open phase, 405 no free
 * ticket), then the request. CORS, the Referer check and the rate limit are the main
 * route's (docs/decisions.md "Seed-004 resource").
 */
export function pubResourceRouter(deps: PubResourceRouterDeps): Router {
  const router = Router();

  const event: RequestHandler = async function event(req, res, next) {
    const config: Config = (await deps.configCache.get()).response.data;
    if (req.params.eventId !== config.conference.id) throw new ProxyError(404, 'event_not_found', 'There is no such event');
    const choice = chooseFreeTicket(config);
    if (!choice.ok && choice.reason === 'closed') {
      throw new ProxyError(404, 'registration_closed', 'Registration for this event is closed');
    }
    if (!choice.ok && choice.reason === 'pricing_closed') {
      throw new ProxyError(422, 'pricing_closed', 'Registration is not open at the moment; please try again later');
    }
    if (!choice.ok) throw paymentRequired();
    res.locals.ticketTypeId = choice.ticketTypeId;
    next();
  };

  const register = async (req: Request, res: Response, raw: unknown) => {
    const { body, region, idempotencyKey } = parseSubmission(req, raw);
    const create = toCreateRegistration(body, { region, ticketTypeId: res.locals.ticketTypeId as string });
    // As on the main route: the visitor's address goes along, for the backend's per-visitor limits.
    const address = clientAddress(req);
    const created = await deps.client.registrations.create(create, {
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(address === undefined ? {} : { clientAddress: address }),
    });
    const json = JSON.stringify(toPubRegistration(created.data));
    const callback = jsonpCallback(res);
    if (callback) sendJsonp(res, callback, json);
    else res.status(200).set('Cache-Control', 'no-store').type('application/json').send(json);
  };

  router.all(PATH, postOnly);
  router.get(PATH, jsonp, jsonpPostOnly, jsonpSubmitOrigin(deps.allowedOrigins), acceptsJson, deps.limit, event, (req, res) =>
    register(req, res, readJsonData(req)),
  );
  router.post(PATH, acceptsJson, deps.limit, event, jsonBody, (req, res) => register(req, res, req.body));
  router.use(pubResourceErrors(deps.logger));
  return router;
}
