import { z } from 'zod';

/**
 * Request and response shapes: the same schemas validate requests and generate the OpenAPI
 * document. Request fields are only typed strings here; the domain checks NIR and code rules so
 * that their own error codes (INVALID_NIR, INVALID_CODE_FORMAT) come out, not MALFORMED_REQUEST.
 */
const nir = z.string().max(64).meta({
  description: 'NIR: 13 characters + 2-digit key; spaces, dots and dashes ignored; 2A/2B accepted.',
  example: '2 95 10 99 126 111 93',
});
const code = z.string().max(64).meta({ description: 'Exactly 6 ASCII digits.', example: '482915' });

export const LoginRequest = z.object({ nir, code }).meta({ id: 'LoginRequest' });

export const CodeChangeRequest = z
  .object({ nir, currentCode: code, newCode: code, newCodeConfirmation: code })
  .meta({ id: 'CodeChangeRequest' });

export const TermsAcceptRequest = z
  .object({
    challenge: z.string().min(1).max(256).meta({ description: 'From the TERMS_ACCEPTANCE_REQUIRED answer.' }),
    version: z.string().min(1).max(64),
  })
  .meta({ id: 'TermsAcceptRequest' });

const Terms = z.object({ version: z.string(), url: z.url() });

export const Authenticated = z
  .object({
    status: z.literal('AUTHENTICATED'),
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Seconds; at most 900.' }),
  })
  .meta({ id: 'Authenticated', description: 'Also sets the refresh cookie (HttpOnly; Secure; SameSite=Strict; Path=/v1/session).' });

export const LoginResponse = z
  .discriminatedUnion('status', [
    Authenticated,
    z.object({ status: z.literal('CODE_CHANGE_REQUIRED'), message: z.string() }),
    z.object({ status: z.literal('TERMS_ACCEPTANCE_REQUIRED'), terms: Terms, challenge: z.string() }),
  ])
  .meta({ id: 'LoginResponse' });

export const CodeChangedResponse = z
  .object({ status: z.literal('CODE_CHANGED'), message: z.string() })
  .meta({ id: 'CodeChangedResponse' });

export const CurrentTermsResponse = Terms.extend({ publishedAt: z.iso.datetime() }).meta({ id: 'CurrentTerms' });

export const MeResponse = z
  .object({
    memberId: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    nir: z.string().meta({ description: 'Masked, e.g. "1 84 ** ** *** *** 42".' }),
    emailOnFile: z.boolean(),
    termsVersion: z.string().nullable(),
  })
  .meta({ id: 'Me' });

export const HealthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const JwksResponse = z
  .object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string() })) })
  .meta({ id: 'JWKS' });

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'One of the contract error codes, e.g. INVALID_NIR.' }),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
      requestId: z.string().optional().meta({ description: 'On 5xx only.' }),
    }),
  })
  .meta({ id: 'Error' });
