import { describe, expect, it } from '@jest/globals';
import { secretWatch } from '../../support/secret-watch.ts';

describe('the log scan of the tests', () => {
  it('finds a code, a token and a NIR however they are quoted, the NIR also spaced', () => {
    const watch = secretWatch();
    for (const s of ['565151', 'tok.en-secret', '185057800608491']) watch.remember(s);
    expect(watch.foundIn(['{"code":"565151"}'])).toEqual(['565151']);
    expect(watch.foundIn(['code=565151;'])).toEqual(['565151']);
    expect(watch.foundIn(['x tok.en-secret y'])).toEqual(['tok.en-secret']);
    expect(watch.foundIn(['NIR 1 85 05 78 006 084'])).toEqual(['185057800608491']);
  });

  it('does not take six digits inside a request id or an epoch time for a code', () => {
    const watch = secretWatch();
    watch.remember('565151');
    expect(watch.foundIn(['{"requestId":"9f3a5651-51e2-4c1b-8d2e-3a565151bc0d","time":1764175651510}'])).toEqual([]);
  });
});
