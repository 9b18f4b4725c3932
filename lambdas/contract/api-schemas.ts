import * as z from 'zod/mini';
import { ERROR_CODES } from '../domain/errors.ts';

/**
 * Request and response shapes: the same schemas validate requests and generate the OpenAPI
 * document (every schema with an `id` becomes a component). Request fields are only typed strings
 * here; the domain checks NIR and code rules so that their own error codes (INVALID_NIR,
 * INVALID_CODE_FORMAT) come out, not MALFORMED_REQUEST.
 */
const described = <T extends z.ZodMiniType>(
  schema: T,
  meta: { id?: string; description?: string; example?: unknown },
): T => {
  z.globalRegistry.add(schema, meta);
  return schema;
};

const nir = described(z.string().check(z.maxLength(64)), {
  description: 'NIR: 13 characters + 2-digit key; spaces, dots and dashes ignored; 2A/2B accepted.',
  example: '2 95 10 99 126 111 93',
});
const code = described(z.string().check(z.maxLength(64)), {
  description: 'Exactly 6 ASCII digits.',
  example: '482915',
});

const rememberDevice = described(z.boolean(), {
  description: 'Trust this browser for up to 180 days: the __Secure-mp_device cookie is set (Path=/v1).',
});

export const LoginRequest = described(
  z.object({
    nir,
    code,
    rememberDevice: described(z.optional(rememberDevice), {
      description:
        'Optional: for a member without email — who is never asked for a mailed code — trust this browser; without it, no browser is trusted. A member with an email proves a new browser with the mailed code instead (`/v1/device/verify`).',
    }),
  }),
  { id: 'LoginRequest' },
);

export const CodeChangeRequest = described(
  z.object({
    nir,
    currentCode: code,
    newCode: code,
    newCodeConfirmation: code,
    rememberDevice: described(z.optional(rememberDevice), {
      description:
        'Optional: for a member without email, with the statement’s initial code or a letter’s temporary code — proof of the postal address — trust this browser. Ignored for a member with an email (the first sign-in from this browser asks for the mailed code) and with the personal code (a trusted browser stays trusted).',
    }),
  }),
  { id: 'CodeChangeRequest' },
);

export const MeCodeChangeRequest = described(
  z.object({ currentCode: code, newCode: code, newCodeConfirmation: code }),
  {
    id: 'MeCodeChangeRequest',
    description: 'The signed-in member’s personal code, and the new one twice: the session names the member.',
  },
);

export const DeviceVerifyRequest = described(
  z.object({
    challenge: described(z.string().check(z.maxLength(256)), {
      description: 'From the DEVICE_VERIFICATION_REQUIRED answer.',
    }),
    code: described(z.string().check(z.maxLength(64)), { description: 'The 6 digits mailed to the member.' }),
    rememberDevice,
  }),
  { id: 'DeviceVerifyRequest' },
);

export const DeviceResendRequest = described(
  z.object({
    challenge: described(z.string().check(z.maxLength(256)), {
      description: 'From the DEVICE_VERIFICATION_REQUIRED answer.',
    }),
  }),
  { id: 'DeviceResendRequest' },
);

const DeviceCodeSentResponse = described(z.object({ status: z.literal('DEVICE_CODE_SENT'), message: z.string() }), {
  id: 'DeviceCodeSent',
  description: 'A new code was mailed for the same challenge; the previous code no longer works.',
});

export const ResetLinkCheckRequest = described(
  z.object({
    token: described(z.string().check(z.maxLength(256)), { description: 'The link’s token (its fragment).' }),
  }),
  { id: 'ResetLinkCheckRequest' },
);

const ResetLinkValidResponse = described(
  z.object({ status: z.literal('RESET_LINK_VALID'), expiresAt: z.iso.datetime() }),
  { id: 'ResetLinkValid', description: 'The link would be taken now; nothing was spent or counted.' },
);

export const CodeForgotRequest = described(z.object({ nir }), { id: 'CodeForgotRequest' });

export const CodeResetRequest = described(
  z.object({
    token: described(z.string().check(z.maxLength(256)), {
      description: 'The `token` of the emailed link (from its `#token=` fragment).',
    }),
    nir: described(z.string().check(z.maxLength(64)), {
      description: "The member's NIR: it must be the link's member's; after 3 answers the link stops working.",
    }),
    newCode: code,
    newCodeConfirmation: code,
    rememberDevice: described(z.optional(rememberDevice), {
      description:
        'Optional: the link proved the mailbox, so trust this browser: the next sign-in from it asks for no mailed code.',
    }),
  }),
  { id: 'CodeResetRequest' },
);

const RequestAcceptedResponse = described(z.object({ status: z.literal('REQUEST_ACCEPTED'), message: z.string() }), {
  id: 'RequestAccepted',
  description: 'The same for every well-formed NIR, whether or not it is a member.',
});

export const TermsAcceptRequest = described(
  z.object({
    challenge: described(z.string().check(z.minLength(1), z.maxLength(256)), {
      description: 'From the TERMS_ACCEPTANCE_REQUIRED answer.',
    }),
    version: z.string().check(z.minLength(1), z.maxLength(64)),
  }),
  { id: 'TermsAcceptRequest' },
);

const Terms = z.object({ version: z.string(), url: z.url() });

const Authenticated = described(
  z.object({
    status: z.literal('AUTHENTICATED'),
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: described(z.int(), { description: 'Seconds; at most 900.' }),
  }),
  {
    id: 'Authenticated',
    description: 'Also sets the refresh cookie (HttpOnly; Secure; SameSite=Strict; Path=/v1/session).',
  },
);

const CodeChangeRequired = described(z.object({ status: z.literal('CODE_CHANGE_REQUIRED'), message: z.string() }), {
  id: 'CodeChangeRequired',
  description: 'The initial code or a letter’s temporary code: it only opens the code-change form. No token.',
});

const TermsAcceptanceRequired = described(
  z.object({
    status: z.literal('TERMS_ACCEPTANCE_REQUIRED'),
    terms: Terms,
    challenge: described(z.string(), { description: 'Single use, 10 minutes, good only for POST /v1/terms/accept.' }),
  }),
  { id: 'TermsAcceptanceRequired' },
);

const DeviceVerificationRequired = described(
  z.object({
    status: z.literal('DEVICE_VERIFICATION_REQUIRED'),
    channel: z.literal('EMAIL'),
    challenge: described(z.string(), {
      description: 'For POST /v1/device/verify: 10 minutes, dead after 3 wrong codes.',
    }),
    message: z.string(),
  }),
  {
    id: 'DeviceVerificationRequired',
    description:
      'The right personal code from a browser without a trusted-device cookie, for a member with an email on file: a 6-digit code was mailed.',
  },
);

/** The answers of a sign-in, told apart by `status` (a discriminator in the OpenAPI document). */
export const LOGIN_ANSWERS = {
  AUTHENTICATED: Authenticated,
  CODE_CHANGE_REQUIRED: CodeChangeRequired,
  TERMS_ACCEPTANCE_REQUIRED: TermsAcceptanceRequired,
  DEVICE_VERIFICATION_REQUIRED: DeviceVerificationRequired,
} as const;

export const LoginResponse = described(
  z.discriminatedUnion('status', [
    Authenticated,
    CodeChangeRequired,
    TermsAcceptanceRequired,
    DeviceVerificationRequired,
  ]),
  {
    id: 'LoginResponse',
  },
);

/** What follows a verified device: the terms, or a session. */
const DeviceVerifyResponse = described(z.discriminatedUnion('status', [Authenticated, TermsAcceptanceRequired]), {
  id: 'DeviceVerifyResponse',
  description: 'Also sets the device cookie when rememberDevice was true.',
});

const instant = described(z.iso.datetime(), { description: 'ISO 8601, UTC.' });

const SessionsResponse = described(
  z.object({
    sessions: z.array(
      z.object({
        id: z.string(),
        startedAt: instant,
        lastUsedAt: instant,
        userAgent: z.string(),
        sourceIp: z.string(),
        current: z.boolean(),
        deviceId: z.optional(
          described(z.string(), {
            description: 'The trusted device it was opened from (an `id` of GET /v1/me/devices), if any.',
          }),
        ),
      }),
    ),
  }),
  { id: 'Sessions', description: 'Active sessions, newest first; `current` marks the caller’s.' },
);

const DevicesResponse = described(
  z.object({
    devices: z.array(
      z.object({ id: z.string(), label: z.string(), createdAt: instant, lastUsedAt: instant, current: z.boolean() }),
    ),
  }),
  { id: 'Devices', description: 'Trusted devices, newest first; `current` marks the caller’s browser.' },
);

const CodeChangedResponse = described(z.object({ status: z.literal('CODE_CHANGED'), message: z.string() }), {
  id: 'CodeChangedResponse',
});

const CurrentTermsResponse = described(z.extend(Terms, { publishedAt: z.iso.datetime() }), {
  id: 'CurrentTerms',
});

const MeResponse = described(
  z.object({
    memberId: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    nir: described(z.string(), { description: 'Masked, e.g. "1 84 ** ** *** *** 42".' }),
    emailOnFile: z.boolean(),
    maskedEmail: described(z.optional(z.string()), {
      description: 'The address on file, masked (e.g. "c•••@example.org"): where a reset link or a code would go.',
    }),
    termsVersion: z.nullable(z.string()),
  }),
  { id: 'Me' },
);

const HealthResponse = described(z.object({ status: z.literal('ok') }), { id: 'Health' });

const JwksResponse = described(
  z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string() })) }),
  { id: 'JWKS' },
);

const OpenIdConfigurationResponse = described(
  z.looseObject({ issuer: z.url(), jwks_uri: z.url(), id_token_signing_alg_values_supported: z.array(z.string()) }),
  {
    id: 'OpenIdConfiguration',
    description: 'RFC 8414 metadata, served at the issuer: what other services need to verify access tokens.',
  },
);

export const ErrorResponse = described(
  z.object({
    error: z.object({
      code: described(z.enum(ERROR_CODES), { description: 'The contract error code.' }),
      message: z.string(),
      fields: z.optional(z.record(z.string(), z.string())),
      requestId: described(z.optional(z.string()), { description: 'On 5xx only.' }),
    }),
  }),
  { id: 'Error' },
);

const credentialResponse = (id: string, description: string) =>
  described(
    z.looseObject({
      id: z.string().check(z.minLength(1), z.maxLength(1400)),
      rawId: z.string().check(z.maxLength(1400)),
      type: z.literal('public-key'),
      response: z.looseObject({ clientDataJSON: z.string().check(z.maxLength(4096)) }),
    }),
    { id, description },
  );

export const PasskeyRegisterRequest = described(
  z.object({
    response: credentialResponse(
      'RegistrationResponseJSON',
      'What navigator.credentials.create() returned, as @simplewebauthn/browser startRegistration() gives it.',
    ),
    name: described(z.optional(z.string().check(z.maxLength(64))), {
      description: 'The member’s name for it (“Téléphone de Claire”).',
    }),
  }),
  { id: 'PasskeyRegisterRequest' },
);

export const PasskeyAuthenticateRequest = described(
  z.object({
    response: credentialResponse(
      'AuthenticationResponseJSON',
      'What navigator.credentials.get() returned, as @simplewebauthn/browser startAuthentication() gives it.',
    ),
    rememberDevice: described(z.optional(rememberDevice), {
      description:
        'Optional: trust this browser; without it a passkey sign-in sets no device cookie (a cross-device passkey on a shared computer).',
    }),
  }),
  { id: 'PasskeyAuthenticateRequest' },
);

export const PasskeyRenameRequest = described(z.object({ name: z.string().check(z.minLength(1), z.maxLength(64)) }), {
  id: 'PasskeyRenameRequest',
});

export const CodeSignInRequest = described(z.object({ enabled: z.boolean() }), {
  id: 'CodeSignInRequest',
  description: 'false: passkey only (every code is answered like a wrong one); true: codes work again.',
});

const WebAuthnOptions = described(z.looseObject({ challenge: z.string() }), {
  id: 'WebAuthnOptions',
  description:
    'PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON, for @simplewebauthn/browser.',
});

const Passkey = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: instant,
  lastUsedAt: z.nullable(instant),
  synced: described(z.boolean(), { description: 'A synced (multi-device) passkey, or bound to its authenticator.' }),
});

const PasskeyResponse = described(z.object({ passkey: Passkey }), { id: 'PasskeyAdded' });

const PasskeysResponse = described(z.object({ passkeys: z.array(Passkey), codeSignIn: z.boolean() }), {
  id: 'Passkeys',
  description: 'The member’s passkeys, newest first, and whether codes still sign in.',
});

/** The success bodies, by the name a route's declaration gives them (`ok.schema` in routes.ts). */
export const RESPONSES = {
  Authenticated,
  CodeChangedResponse,
  CurrentTermsResponse,
  DeviceCodeSentResponse,
  DeviceVerifyResponse,
  DevicesResponse,
  HealthResponse,
  JwksResponse,
  LoginResponse,
  MeResponse,
  OpenIdConfigurationResponse,
  PasskeyResponse,
  PasskeysResponse,
  RequestAcceptedResponse,
  ResetLinkValidResponse,
  SessionsResponse,
  WebAuthnOptions,
};

export type ResponseSchemaName = keyof typeof RESPONSES;
