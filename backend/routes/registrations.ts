import { Router } from 'express';
import { CreateRegistration, fieldErrors, IdempotencyKey, ListQuery } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { jsonBody } from '../middleware/content-negotiation.js';
import { auth, authenticate, requireScope } from '../middleware/authenticate.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { rateLimitPerKey } from '../middleware/rate-limit.js';
import { claim, complete, release, requestHash, type IdempotencyScope } from '../services/idempotency.js';
import { buildConfig } from '../services/registration-config.js';
import { createRegistration, getRegistration, REGISTRATION_ID, listRegistrations, loadConferenceState } from '../services/registrations.js';
import type { BackendDeps } from '../app.js';

function idempotencyScope(header: string | undefined, keyId: string): IdempotencyScope | undefined {
  if (header === undefined) return undefined;
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) throw ApiError.validation({ 'Idempotency-Key': parsed.error.issues.map((i) => i.message) });
  return { apiKeyId: keyId, key: parsed.data };
}

/** `/registrations/*` of the Public API v1 (SPEC §2). */
export function registrationsRouter(deps: Required<BackendDeps>): Router {
  const router = Router();
  const { store, clock } = deps;
  // Per route, not per prefix: an unknown path is a 404 and a wrong method a 405, key or not.
  const guard = [authenticate({ ...deps, cacheMs: deps.authCacheMs }), rateLimitPerKey(deps.rateLimitPerMinute, deps.logger)];

  router
    .route('/registrations/config')
    .get(...guard, requireScope('registrations:read'), async (_req, res) => {
      const loaded = await loadConferenceState(store.db, auth(res).conferenceId, { lock: false });
      if (!loaded) throw new ApiError('not_found', 'No such conference');
      res.set('Cache-Control', 'no-store').json({ data: buildConfig(loaded.conference, loaded.sales, clock()) });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/registrations/registrations')
    .get(...guard, requireScope('registrations:read'), async (req, res) => {
      const query = ListQuery.safeParse({ limit: req.query.limit, cursor: req.query.cursor });
      if (!query.success) throw ApiError.validation(fieldErrors(query.error.issues));
      res.set('Cache-Control', 'no-store').json(await listRegistrations(store.db, auth(res).conferenceId, query.data));
    })
    .post(...guard, requireScope('registrations:write'), jsonBody, async (req, res) => {
      const { keyId, conferenceId } = auth(res);
      const scope = idempotencyScope(req.get('idempotency-key'), keyId);
      // The key is claimed before the body is checked: a retry with another body is 422
      // `idempotency_key_reused` even when that body is invalid, and a 400 is kept and replayed.
      if (scope) {
        const claimed = await store.transact((trx) => claim(trx, scope, requestHash(req.body), clock(), deps.idempotencyInFlightMs));
        if (claimed.kind === 'replay') {
          const id = claimed.status === 201 ? (claimed.body as { data: { id: string } }).data.id : undefined;
          res.status(claimed.status).set({ 'Idempotent-Replayed': 'true', 'Cache-Control': 'no-store' });
          if (id) res.location(`${req.baseUrl}/registrations/registrations/${id}`);
          res.json(claimed.body);
          return;
        }
      }
      try {
        const body = CreateRegistration.safeParse(req.body);
        if (!body.success) throw ApiError.validation(fieldErrors(body.error.issues));
        const registration = await createRegistration(
          { store, conferenceId, apiKeyId: keyId, now: clock(), ...(scope ? { idempotency: scope } : {}) },
          body.data,
        );
        res
          .status(201)
          .set({ Location: `${req.baseUrl}/registrations/registrations/${registration.id}`, 'Cache-Control': 'no-store' })
          .json({ data: registration });
      } catch (error) {
        if (scope) await settleFailedClaim(deps, scope, error);
        throw error;
      }
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/registrations/registrations/:id')
    .get(...guard, requireScope('registrations:read'), async (req, res) => {
      const id = String(req.params.id);
      const registration = REGISTRATION_ID.test(id) ? await getRegistration(store.db, auth(res).conferenceId, id) : null;
      if (!registration) throw new ApiError('not_found', 'No registration with this id');
      res.set('Cache-Control', 'no-store').json({ data: registration });
    })
    .all(methodNotAllowed(['GET']));

  return router;
}

/**
 * A refusal (4xx) is the answer to this body: it is kept and replayed like a success. A
 * failure on our side (5xx) is not an answer: the claim is dropped so that a retry can work.
 */
async function settleFailedClaim(deps: Required<BackendDeps>, scope: IdempotencyScope, error: unknown) {
  const { store } = deps;
  if (error instanceof ApiError && error.status < 500) await store.transact((trx) => complete(trx, scope, error.status, error.toBody()));
  else await store.transact((trx) => release(trx, scope)).catch(() => {});
}
