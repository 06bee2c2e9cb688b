import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { type NestExpressApplication } from '@nestjs/platform-express';
import { type Response } from 'express';

/** The compiled dashboard modules (apps/orchestrator/ui, built by tsc -b with the rest). */
export const DASHBOARD_JS_DIR = resolve(__dirname, '../../ui');
/** index.html and app.css, served from the source tree (the image keeps apps/). */
export const DASHBOARD_PUBLIC_DIR = resolve(__dirname, '../../../../../apps/orchestrator/ui/public');

/**
 * uPlot's browser build and stylesheet, served as they ship in the npm package (see the README);
 * undefined when the package is not installed: the UPS pages then show their points as a table.
 */
export function uplotDistDir(): string | undefined {
  try {
    return dirname(require.resolve('uplot'));
  } catch {
    return undefined;
  }
}

/**
 * Strict policy: scripts, styles and API calls from this origin only; nothing inline, no
 * framing. Values on the page are set as text, never markup (see ui/src/dom.ts).
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-cache');
}

/**
 * Serves the dashboard at /ui (static files hold no data: every datum comes from the API with
 * the signed-in token, so the files themselves need no authentication). / redirects to /ui/.
 */
export function mountDashboard(app: NestExpressApplication): void {
  if (!existsSync(DASHBOARD_PUBLIC_DIR) || !existsSync(DASHBOARD_JS_DIR)) return;
  app.useStaticAssets(DASHBOARD_JS_DIR, { prefix: '/ui/js', setHeaders: securityHeaders, index: false });
  const uplot = uplotDistDir();
  if (uplot !== undefined)
    app.useStaticAssets(uplot, { prefix: '/ui/vendor/uplot', setHeaders: securityHeaders, index: false });
  app.useStaticAssets(DASHBOARD_PUBLIC_DIR, { prefix: '/ui', setHeaders: securityHeaders });
}
