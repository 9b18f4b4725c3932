import { describe, expect, it } from '@jest/globals';
import { proxyEvent } from '../../../lambdas/local/api-gateway-adapter.ts';

describe('the local API Gateway adapter', () => {
  it('stops prototype tampering: a header named __proto__ is a header like any other, not a crash of the local API', () => {
    const event = proxyEvent({
      method: 'GET',
      url: '/v1/me?x=1',
      resource: '/v1/me',
      headers: [
        ['__proto__', 'a'],
        ['__proto__', 'b'],
        ['User-Agent', 'test'],
      ],
      body: null,
      sourceIp: '127.0.0.1',
    });
    const proto = '__proto__';
    expect(event.headers[proto]).toBe('b');
    expect(event.multiValueHeaders[proto]).toEqual(['a', 'b']);
    expect(event.requestContext.identity.userAgent).toBe('test');
  });
});
