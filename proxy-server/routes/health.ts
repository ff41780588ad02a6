import { Router } from 'express';
import { isConferaApiError } from '../../client/index.js';
import { memoryCounters, type Counters } from '../../lib/counters.js';
import type { Logger } from '../../lib/logger.js';
import { logUnexpected } from '../../lib/unexpected-error.js';
import type { ConfigCache } from '../config-cache.js';
import { fromUpstream, logUpstreamFailure } from '../errors.js';

/**
 * Whether a failed config read means "this proxy cannot serve": no answer, a broken answer,
 * or a key the backend refuses. An answer such as `conference_not_live` is still an answer:
 * the proxy relays it and the widget shows it, so the proxy stays in the load balancer.
 */
function blocksReadiness(error: unknown): boolean {
  if (!isConferaApiError(error)) return true;
  if (error.status === 0 || error.status >= 500 || error.code === 'invalid_response') return true;
  return error.status === 401 || error.code === 'insufficient_scope';
}

/**
 * Liveness (the process answers) and readiness (the backend answers this proxy's key).
 * Readiness reads the config through the cache, so probes cost the backend at most one call
 * per cache period. The cause of "not ready" goes to the log, never into the answer: the
 * endpoint is public, and "the key is refused" is nobody's business but the operator's.
 * `counters` says where the submit limit counts; `degraded` (Redis does not answer) is still
 * ready: submits are served without the shared limit (docs/deployment.md).
 */
export function healthRouter(deps: { configCache: ConfigCache; logger: Logger; counters?: Counters }): Router {
  const counters = deps.counters ?? memoryCounters;
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.configCache.get();
    } catch (error) {
      if (blocksReadiness(error)) {
        const failure = fromUpstream(error);
        if (failure) logUpstreamFailure(deps.logger, failure);
        else logUnexpected(deps.logger, error);
        res
          .status(503)
          .set('Cache-Control', 'no-store')
          .json({ ok: false, status: 503, code: 'not_ready', message: 'The registration service cannot be used' });
        return;
      }
    }
    res.set('Cache-Control', 'no-store').json({ status: 'ok', counters: counters.state() });
  });
  return router;
}
