import type { ErrorRequestHandler } from 'express';
import type { PubErrorPayload } from '../../contract/index.js';
import type { Logger } from '../../lib/logger.js';
import { pascalCase, ProxyError } from '../errors.js';
import { proxyErrorMiddleware } from './error-handler.js';
import { toPubFieldErrors } from '../pub-resource-mapping.js';
import { jsonpCallback, sendJsonp } from './jsonp.js';

/**
 * A failure as seed 004's resource states it (its status table): the statuses it lacks
 * become the nearest it has. 5xx and the proxy's own key problems are 500 (the table has no
 * 502/503/504; the code still tells them apart); an event that is not live is "no longer
 * available" (404); a sold-out free ticket is the event being full for this resource, which
 * offers no other ticket; a ticket that turned paid is "needs payment" (405).
 */
export function pubResourceStatus(error: ProxyError): ProxyError {
  const keep = { details: error.details, headers: error.headers };
  if (error.status >= 500 || error.code === 'insufficient_scope') {
    const code = error.status >= 500 ? error.code : 'service_unavailable';
    const message = error.status >= 500 ? error.message : 'Registration is not available right now; please try again later';
    return new ProxyError(500, code, message, keep);
  }
  if (error.code === 'conference_not_live')
    return new ProxyError(404, error.code, 'This event is not available for public registration', keep);
  if (error.code === 'ticket_sold_out')
    return new ProxyError(409, 'event_full', 'This event is full and is no longer accepting registrations');
  if (error.code === 'payment_method_required' || error.code === 'unknown_payment_method') return paymentRequired();
  return error;
}

/** 405 for an event whose registrations need payment (seed 004's table). */
export function paymentRequired(): ProxyError {
  return new ProxyError(
    405,
    'payment_required',
    "Registrations for this event need payment; please register through the event's own registration form",
  );
}

/** Seed 004's error object for a ProxyError already in this resource's statuses. */
export function pubErrorPayload(error: ProxyError): PubErrorPayload {
  const fields = error.code === 'validation_failed' ? error.details?.fields : undefined;
  const retryAfter = error.details?.retry_after_seconds;
  const errorId = error.details?.error_id;
  return {
    Success: false,
    Code: pascalCase(error.code),
    Message: error.message,
    ...(fields && typeof fields === 'object' ? { Fields: toPubFieldErrors(fields as Record<string, string[]>) } : {}),
    ...(typeof retryAfter === 'number' ? { RetryAfterSeconds: retryAfter } : {}),
    ...(typeof errorId === 'string' ? { ErrorId: errorId } : {}),
  };
}

/**
 * The seed-004 resource's error middleware, registered at the end of its router (the app's
 * own one answers every other path). It logs as the app's does (`proxyErrorMiddleware`).
 * POST answers get the table's status (with `Allow`, `Retry-After`); JSONP answers are a 200
 * script (SPEC §3), their payload the same object.
 */
export function pubResourceErrors(logger: Logger): ErrorRequestHandler {
  return proxyErrorMiddleware(logger, (proxyError, res) => {
    const answer = pubResourceStatus(proxyError);
    const json = JSON.stringify(pubErrorPayload(answer));
    const callback = jsonpCallback(res);
    if (callback) {
      sendJsonp(res, callback, json);
      return;
    }
    res.status(answer.status).set(answer.headers).set('Cache-Control', 'no-store').type('application/json').send(json);
  });
}
