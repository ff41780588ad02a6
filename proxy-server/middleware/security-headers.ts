import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Helmet's headers on every response (SPEC §3), with two choices made for a server whose
 * whole job is to be used from other sites:
 * - `Cross-Origin-Resource-Policy: cross-origin`: helmet's `same-origin` would stop pages
 *   from loading the widget bundle and the JSONP scripts at all.
 * - `Referrer-Policy: no-referrer` (helmet's default, kept): JSONP URLs carry personal data.
 * The CSP is the strictest there is: the proxy serves JSON and scripts, never a page.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}
