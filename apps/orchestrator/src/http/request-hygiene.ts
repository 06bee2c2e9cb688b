import { type NestExpressApplication } from '@nestjs/platform-express';
import { json, type NextFunction, type Request, type Response, text } from 'express';

import { type AppConfig } from '@nutfleet/config';

import { RequestAuthenticator } from '../auth/request-authenticator';
import { reasonPhrase } from './api-error';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-depth';

/** Bulk host imports (JSON or CSV) carry thousands of hosts: well above body-parser's 100 kB. */
export const BODY_LIMIT = '10mb';
/**
 * Largest body read from a request that carries no valid token. Bigger (or of unknown length)
 * is refused with the authentication error before a byte of it is read: parsing 10 MB for a
 * caller who turns out to be nobody would cost the memory and CPU that real requests need.
 */
export const UNAUTHENTICATED_BODY_LIMIT_BYTES = 16 * 1024;

/** Sent with every response: no MIME sniffing, no framing, no referrer leaking paths. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // Pages with a policy of their own (the dashboard) replace it with one that also forbids framing.
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

function declaredLength(req: Request): number | null {
  const header = req.headers['content-length'];
  if (header === undefined) return req.headers['transfer-encoding'] === undefined ? 0 : null;
  const length = Number(header);
  return Number.isFinite(length) ? length : null;
}

/**
 * Before any body parser: a request announcing a large body (or a chunked one) is authenticated
 * first, and refused unread unless its token is valid. Small bodies go through, and the guard
 * decides as for any request (the outcome is computed once per request either way).
 */
function authenticateLargeBodies(authenticator: RequestAuthenticator) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const length = declaredLength(req);
    if (length !== null && length <= UNAUTHENTICATED_BODY_LIMIT_BYTES) return next();
    authenticator
      .authenticate(req)
      .then((outcome) => {
        if (outcome.ok) return next();
        for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
        // Do not read (or wait for) the rest of the upload.
        res.setHeader('Connection', 'close');
        res
          .status(outcome.status)
          .json({ statusCode: outcome.status, error: reasonPhrase(outcome.status), message: outcome.message });
      })
      .catch(next);
  };
}

function refuseDeepJson(_req: Request, _res: Response, body: Buffer): void {
  if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH))
    throw Object.assign(
      new Error(`JSON body nested deeper than ${MAX_JSON_DEPTH} levels of arrays/objects: flatten it`),
      { status: 400 },
    );
}

/**
 * Everything about a request that is decided before a route runs: proxy trust (client address
 * and HTTPS as X-Forwarded-* say, from TRUST_PROXY hops only), no X-Powered-By, security
 * headers, body limits that depend on authentication, and a JSON nesting limit. Call before
 * anything else is mounted.
 */
export function applyRequestHygiene(app: NestExpressApplication, config: AppConfig): void {
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(authenticateLargeBodies(app.get(RequestAuthenticator)));
  app.use(json({ limit: BODY_LIMIT, verify: refuseDeepJson }));
  app.use(text({ type: ['text/csv', 'text/plain'], limit: BODY_LIMIT }));
}
