import type * as z from 'zod/mini';
import { MalformedRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../domain/errors.ts';
import { type ApiMiddleware, headerOf } from './types.ts';

const MAX_BODY_BYTES = 16 * 1024;
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The body: at most 16 KiB, declared as JSON (a form of another site posts text/plain without a
 * CORS preflight), parsed, and checked against the route's schema — whose failures name the fields,
 * never their values.
 */
export function jsonBody(schema: z.ZodMiniType | undefined): ApiMiddleware {
  return {
    before: (request) => {
      const { event } = request;
      const bytes = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
      if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError();
      if (bytes.length > 0 && !JSON_MEDIA_TYPE.test(headerOf(event, 'content-type') ?? ''))
        throw new UnsupportedMediaTypeError();
      if (!schema || request.internal.preflight) return;
      let json: unknown;
      try {
        json = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new MalformedRequestError('body is not JSON');
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const fields = Object.fromEntries(
          parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.code.toUpperCase()]),
        );
        throw new MalformedRequestError('body does not match the schema', { fields });
      }
      request.internal.body = parsed.data;
    },
  };
}
