import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { SupportContact } from '../lambdas/domain/support-contact.ts';
import { portalHeaders } from './headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/**
 * The built portal over HTTP, as CloudFront serves it: its files, `config.json` (the API's URL),
 * and `index.html` for every page path (the portal routes in the browser), with the security headers.
 */
/** What the portal reads at start (`config.json`): the API's URL and the customer-service contact. */
export interface PortalConfig {
  readonly apiBaseUrl: string;
  readonly support?: SupportContact;
}

export function createPortalServer(dir: string, config: () => PortalConfig): Server {
  return createServer((req, res) => {
    void (async () => {
      const headers = portalHeaders(new URL(config().apiBaseUrl).origin);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
        return;
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === '/config.json') {
        res.writeHead(200, { ...headers, 'Content-Type': TYPES['.json'], 'Cache-Control': 'no-store' });
        res.end(JSON.stringify(config()));
        return;
      }
      const file = extname(path) ? normalize(path).replace(/^(\.\.[/\\])+/, '') : '/index.html';
      try {
        const type = TYPES[extname(file)] ?? 'application/octet-stream';
        const { body, encoding } = compressed(await readFile(join(dir, file)), type, req.headers['accept-encoding']);
        res.writeHead(200, {
          ...headers,
          'Content-Type': type,
          'Cache-Control': 'no-cache',
          Vary: 'Accept-Encoding',
          ...(encoding ? { 'Content-Encoding': encoding } : {}),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      }
    })();
  });
}

/**
 * Text files compressed as CloudFront compresses them (brotli, else gzip, when the browser says it
 * takes them): a member on a slow mobile network downloads a third of the bytes.
 */
function compressed(body: Buffer, type: string, acceptEncoding: string | undefined) {
  const accepted = (acceptEncoding ?? '').toLowerCase();
  if (!/^(text\/|application\/json|image\/svg)/.test(type) || body.length < 1024) return { body };
  if (/\bbr\b/.test(accepted)) {
    return {
      body: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
      encoding: 'br',
    };
  }
  if (/\bgzip\b/.test(accepted)) return { body: gzipSync(body), encoding: 'gzip' };
  return { body };
}
