import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../runtime/local-environment.ts';

const SWAGGER_UI = join(PROJECT_ROOT, 'node_modules', 'swagger-ui-dist');

/** The page's own script: Swagger UI on the API's OpenAPI document (kept out of the HTML, for the CSP). */
const INIT = `window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#reference', deepLinking: true, tryItOutEnabled: true });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>member-portal-auth — API reference</title>
  <link rel="stylesheet" href="/v1/docs/swagger-ui.css">
</head>
<body>
  <main id="reference"></main>
  <script src="/v1/docs/swagger-ui-bundle.js"></script>
  <script src="/v1/docs/init.js"></script>
</body>
</html>
`;

const ASSETS: Record<string, { readonly type: string; readonly file?: string; readonly text?: string }> = {
  '/v1/docs': { type: 'text/html; charset=utf-8', text: PAGE },
  '/v1/docs/init.js': { type: 'text/javascript; charset=utf-8', text: INIT },
  '/v1/docs/swagger-ui.css': { type: 'text/css; charset=utf-8', file: 'swagger-ui.css' },
  '/v1/docs/swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', file: 'swagger-ui-bundle.js' },
};

/**
 * `GET /v1/docs` on the local stack: an interactive reference of the API (Swagger UI, served from
 * the installed package — no request leaves the machine). Not deployed: in AWS, integrators read
 * the document at /v1/openapi.json with the tool of their choice.
 */
export function serveApiDocs(req: IncomingMessage, res: ServerResponse): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '');
  const asset = req.method === 'GET' ? ASSETS[path] : undefined;
  if (!asset) return false;
  res.writeHead(200, {
    'Content-Type': asset.type,
    'Content-Security-Policy':
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  if (asset.file) createReadStream(join(SWAGGER_UI, asset.file)).pipe(res);
  else res.end(asset.text);
  return true;
}
