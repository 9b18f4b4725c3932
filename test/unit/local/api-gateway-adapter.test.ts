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
    expect(event.headers.__proto__).toBe('b');
    expect(event.multiValueHeaders.__proto__).toEqual(['a', 'b']);
    expect(event.requestContext.identity.userAgent).toBe('test');
  });
});
