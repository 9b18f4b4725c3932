import { describe, expect, it } from '@jest/globals';
import { isDependencyUnavailable } from '../../../lambdas/http/dependency-failure.ts';

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('detail that stays in the log'), { name, ...extra });

describe('a dependency that does not answer, told apart from a fault of ours', () => {
  it.each([
    ['a request timeout', named('TimeoutError', { code: 'ETIMEDOUT' })],
    ['a refused connection', named('Error', { code: 'ECONNREFUSED' })],
    [
      'a reset connection, as the cause',
      new Error('socket hang up', { cause: named('Error', { code: 'ECONNRESET' }) }),
    ],
    ['DynamoDB throttling', named('ProvisionedThroughputExceededException')],
    ['KMS failing inside', named('KMSInternalException')],
    ['a KMS key not available', named('KeyUnavailableException')],
    ['a 5xx from any AWS service', named('SomethingNew', { $metadata: { httpStatusCode: 502 } })],
  ])('%s → 503', (_what, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'pk')")],
    [
      'a refused condition (ours to handle)',
      named('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } }),
    ],
    ['a validation error of ours', named('ValidationException', { $metadata: { httpStatusCode: 400 } })],
    ['not an error at all', 'boom'],
  ])('%s → 500', (_what, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
