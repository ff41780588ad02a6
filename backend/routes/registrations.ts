import { Router, type Request, type RequestHandler } from 'express';
import { CreateRegistration, ListQuery } from '../../contract/index.js';
import type { Counters } from '../../lib/counters.js';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from '../errors.js';
import { jsonBody } from '../middleware/content-negotiation.js';
import { auth, authenticate, requireScope } from '../middleware/authenticate.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { idempotencyKey, recordAnswer } from '../middleware/idempotency.js';
import { keyRateLimits } from '../middleware/rate-limit.js';
import { validate } from '../middleware/validate.js';
import { buildConfig } from '../services/registration-config.js';
import { createRegistration, getRegistration, REGISTRATION_ID, listRegistrations, loadConferenceState } from '../services/registrations.js';
import type { Store } from '../storage/database.js';

/** What the router needs, and no more (createApp fills in the defaults). */
export interface RegistrationsDeps {
  store: Store;
  logger: Logger;
  clock: () => Date;
  rateLimitPerMinute: number;
  rateLimitPerClientPerMinute: number;
  trustedProxies: (address: string) => boolean;
  counters: Counters;
  authCacheMs: number;
  idempotencyInFlightMs: number;
}

const registrationUrl = (req: Request, id: string) => `${req.baseUrl}/registrations/registrations/${id}`;

/** `/registrations/*` of the Public API v1 (SPEC §2). */
export function registrationsRouter(deps: RegistrationsDeps): Router {
  const router = Router();
  const { store, clock } = deps;
  // Per route, not per prefix: an unknown path is a 404 and a wrong method a 405, key or not.
  const guard = [
    authenticate({ store, clock, cacheMs: deps.authCacheMs }),
    ...keyRateLimits({
      perKey: deps.rateLimitPerMinute,
      perClient: deps.rateLimitPerClientPerMinute,
      trustedProxy: deps.trustedProxies,
      counters: deps.counters,
      logger: deps.logger,
    }),
  ];
  const listQuery = validate(ListQuery, (req) => ({ limit: req.query.limit, cursor: req.query.cursor }));
  const createBody = validate(CreateRegistration);
  const keys = idempotencyKey({
    store,
    clock,
    abandonedMs: deps.idempotencyInFlightMs,
    location: (req, status, body) => (status === 201 ? registrationUrl(req, (body as { data: { id: string } }).data.id) : undefined),
  });

  const create: RequestHandler = async (req, res) => {
    const { keyId, conferenceId } = auth(res);
    const record = recordAnswer(res);
    const registration = await createRegistration(
      {
        store,
        conferenceId,
        apiKeyId: keyId,
        now: clock(),
        beforeCommit: record && ((trx, created) => record(trx, 201, { data: created })),
      },
      createBody.data(res),
    );
    res
      .status(201)
      .set({ Location: registrationUrl(req, registration.id), 'Cache-Control': 'no-store' })
      .json({ data: registration });
  };

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
    .get(...guard, requireScope('registrations:read'), listQuery, async (_req, res) => {
      res.set('Cache-Control', 'no-store').json(await listRegistrations(store.db, auth(res).conferenceId, listQuery.data(res)));
    })
    .post(...guard, requireScope('registrations:write'), jsonBody, keys.claim, createBody, create, keys.settle)
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
