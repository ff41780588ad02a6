import { sql } from 'kysely';
import { Router } from 'express';
import type { Counters } from '../../lib/counters.js';
import type { Store } from '../storage/database.js';

/**
 * Liveness (the process answers) and readiness (its database answers too). Readiness also
 * says where the rate limits count (`counters`: memory, shared, degraded); degraded is still
 * ready (200): requests are served without shared limits, and a load balancer that pulled
 * every instance because Redis blinked would close registration for everyone (docs/deployment.md).
 */
export function healthRouter(store: Store, counters: Counters): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await sql`select 1`.execute(store.db);
      res.set('Cache-Control', 'no-store').json({ status: 'ok', counters: counters.state() });
    } catch {
      res
        .status(503)
        .set('Cache-Control', 'no-store')
        .json({ error: { code: 'not_ready', message: 'The database does not answer' } });
    }
  });
  return router;
}
