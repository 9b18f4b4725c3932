import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { serveApiDocs } from '../../../lambdas/local/api-docs.ts';

describe('the API reference page of the local stack (/v1/docs)', () => {
  it('serves Swagger UI on the OpenAPI document, from the installed package, without inline script', async () => {
    const server = createServer((req, res) => {
      if (!serveApiDocs(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await fetch(`${base}/v1/docs`);
      const html = await page.text();
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(html).toContain('/v1/docs/swagger-ui-bundle.js');
      expect(html).not.toMatch(/<script>[^<]/);
      expect(await (await fetch(`${base}/v1/docs/init.js`)).text()).toContain("url: '/v1/openapi.json'");
      const bundle = await fetch(`${base}/v1/docs/swagger-ui-bundle.js`);
      expect(bundle.status).toBe(200);
      expect((await bundle.text()).length).toBeGreaterThan(100_000);
      expect((await fetch(`${base}/v1/docs/../../package.json`)).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
