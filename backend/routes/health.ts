import { sql } from 'kysely';
import { Router } from 'express';
import type { Store } from '../storage/database.js';

/** Liveness (the process answers) and readiness (its database answers too). */
export function healthRouter(store: Store): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await sql`select 1`.execute(store.db);
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    } catch {
      res
        .status(503)
        .set('Cache-Control', 'no-store')
        .json({ error: { code: 'not_ready', message: 'The database does not answer' } });
    }
  });
  return router;
}
