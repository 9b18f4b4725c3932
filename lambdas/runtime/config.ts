import * as z from 'zod/mini';
import { OWASP_MINIMUM } from '../domain/code-hashing.ts';
import { SUPPORT_PHONE_PATTERN } from '../domain/support-contact.ts';
import { once } from './once.ts';

// zod/mini: the same zod 4 engine without the method-chaining API, a fifth of the bundle size
// that every handler carries into its cold start.
const int = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z._default(
    z.coerce.number().check(z.refine(Number.isInteger, 'must be an integer'), z.minimum(min), z.maximum(max)),
    fallback,
  );
const text = () => z.string().check(z.minLength(1));
const httpUrl = () => z.url({ protocol: /^https?$/ });
const origins = z.pipe(
  z.pipe(
    text(),
    z.transform((s: string) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  ),
  z.array(httpUrl()).check(z.minLength(1)),
);

/**
 * Everything configurable, read from the environment once at cold start. A missing or invalid
 * value fails the cold start with its name, not a request. Environment variables hold names,
 * ARNs and numbers — never a secret.
 */
const ConfigSchema = z
  .object({
    TABLE_NAME: z.string().check(z.minLength(3)),
    AWS_REGION: z._default(text(), 'eu-west-3'),
    DYNAMODB_ENDPOINT: z.optional(z.url()),
    SES_ENDPOINT: z.optional(z.url()),
    KEYS_SOURCE: z.enum(['local', 'aws']),
    LOCAL_KEYS_DIR: z.optional(text()),
    NIR_LOOKUP_KMS_KEY_ID: z.optional(text()),
    CODE_PEPPER_KMS_KEY_ID: z.optional(text()),
    /** The KMS alias of the key that signs access tokens, and of the one it replaced (still published). */
    TOKEN_SIGNING_KEY_ALIAS: z.optional(z.string().check(z.regex(/^alias\/[\w/-]+$/))),
    TOKEN_SIGNING_PREVIOUS_KEY_ALIAS: z.optional(z.string().check(z.regex(/^alias\/[\w/-]+$/))),
    /** Only the functions that need them get these two (session-refresh; the letter export). */
    REFRESH_TOKEN_KMS_KEY_ID: z.optional(text()),
    LETTER_CODE_KMS_KEY_ID: z.optional(text()),
    /** The passkey sign-in's two functions only. */
    PASSKEY_CHALLENGE_KMS_KEY_ID: z.optional(text()),
    JWT_ISSUER: z.url(),
    /** The path the API is served under ('' on a custom domain, '/v1-api' on the execute-api host): cookie paths follow it. */
    API_BASE_PATH: z._default(
      z.string().check(z.regex(/^(\/[\w-]+)*$/, 'empty, or /segment without a trailing slash')),
      '',
    ),
    JWT_AUDIENCE: text(),
    PORTAL_ORIGINS: origins,
    PORTAL_BASE_URL: httpUrl(),
    MAIL_FROM: z.email(),
    // The customer-service contact said at the foot of every mail (operations.md, "Configuration a deployer sets").
    SUPPORT_PHONE: z.optional(z.string().check(z.regex(SUPPORT_PHONE_PATTERN, 'a phone number, e.g. 09 69 32 10 00'))),
    SUPPORT_HOURS: z.optional(text()),
    SUPPORT_URL: z.optional(httpUrl()),
    MAIL_CONFIGURATION_SET: z.optional(text()),
    // The function background jobs are handed to (asynchronous invocation); on the local stack, its
    // stand-in answers at LAMBDA_ENDPOINT.
    ACCOUNT_WORKER_FUNCTION: z.optional(text()),
    LAMBDA_ENDPOINT: z.optional(z.url()),
    LETTERS_BUCKET: z.optional(text()),
    // The account worker's failure destination: what `ops replay-failed-jobs` reads.
    FAILED_JOBS_QUEUE_URL: z.optional(z.url()),
    // The letters' own KMS key, named on every upload (S3 would use aws/s3 otherwise, which the print provider cannot use).
    LETTERS_KMS_KEY_ID: z.optional(text()),
    // The member feed's bucket and its own key: where the import reports are written.
    FEED_BUCKET: z.optional(text()),
    FEED_KMS_KEY_ID: z.optional(text()),
    AUDIT_RETENTION_DAYS: int(365, 30),
    AUDIT_SHORT_RETENTION_DAYS: int(30, 7),
    INITIAL_CODE_VALID_DAYS: int(365, 1, 3 * 365),
    // The CNIL envelope (délibération 2022-100): at most 10 consecutive failures before a lock, at
    // most 25 a day; the contract asks for locks of at least 15 minutes.
    LOCKOUT_MAX_CONSECUTIVE_FAILURES: int(5, 1, 10),
    LOCKOUT_BASE_SECONDS: int(900, 900),
    LOCKOUT_MAX_SECONDS: int(24 * 3600, 900),
    LOCKOUT_MAX_FAILURES_PER_DAY: int(25, 1, 25),
    IP_MAX_FAILURES: int(100, 1),
    IP_WINDOW_SECONDS: int(900, 60),
    CODE_SPRAY_MAX_FAILURES: int(30, 1),
    CODE_SPRAY_WINDOW_SECONDS: int(3600, 60),
    FORGOT_IP_MAX_REQUESTS: int(30, 1),
    FORGOT_IP_WINDOW_SECONDS: int(900, 60),
    // Anonymous passkey ceremonies started per source IP (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do").
    PASSKEY_OPTIONS_IP_MAX_REQUESTS: int(100, 1),
    PASSKEY_OPTIONS_IP_WINDOW_SECONDS: int(900, 60),
    // On by default (http-api-v1.md, POST /v1/device/verify); "false" gives up the new-device check (docs/operations.md).
    NEW_DEVICE_VERIFICATION: z._default(z.enum(['true', 'false']), 'true'),
    // Passkeys: the relying party (default: the portal's host name) and the origins the ceremonies
    // may run on (default: the portal origins).
    WEBAUTHN_RP_ID: z.optional(z.string().check(z.regex(/^[a-z0-9.-]+$/, 'a host name, e.g. espace.mutuelle.fr'))),
    WEBAUTHN_RP_NAME: z._default(text(), 'Espace adhérent'),
    WEBAUTHN_ORIGINS: z.optional(origins),
    ARGON2_MEMORY_KIB: int(OWASP_MINIMUM.memoryKiB, OWASP_MINIMUM.memoryKiB),
    ARGON2_PASSES: int(OWASP_MINIMUM.passes, OWASP_MINIMUM.passes),
    ARGON2_PARALLELISM: int(OWASP_MINIMUM.parallelism, 1),
  })
  .check(
    z.superRefine((env, ctx) => {
      const required =
        env.KEYS_SOURCE === 'local'
          ? (['LOCAL_KEYS_DIR'] as const)
          : ([
              'NIR_LOOKUP_KMS_KEY_ID',
              'CODE_PEPPER_KMS_KEY_ID',
              'TOKEN_SIGNING_KEY_ALIAS',
              'TOKEN_SIGNING_PREVIOUS_KEY_ALIAS',
            ] as const);
      for (const name of required) {
        if (!env[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `required when KEYS_SOURCE=${env.KEYS_SOURCE}`,
            input: env[name],
          });
      }
    }),
  );

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof ConfigSchema>) {
  return {
    tableName: env.TABLE_NAME,
    region: env.AWS_REGION,
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT,
    sesEndpoint: env.SES_ENDPOINT,
    keys:
      env.KEYS_SOURCE === 'local'
        ? ({ source: 'local', dir: env.LOCAL_KEYS_DIR! } as const)
        : ({
            source: 'aws',
            nirLookupKeyId: env.NIR_LOOKUP_KMS_KEY_ID!,
            codePepperKeyId: env.CODE_PEPPER_KMS_KEY_ID!,
            tokenSigningKeyAliases: {
              current: env.TOKEN_SIGNING_KEY_ALIAS!,
              previous: env.TOKEN_SIGNING_PREVIOUS_KEY_ALIAS!,
            },
            refreshTokenKeyId: env.REFRESH_TOKEN_KMS_KEY_ID,
            letterCodeKeyId: env.LETTER_CODE_KMS_KEY_ID,
            passkeyChallengeKeyId: env.PASSKEY_CHALLENGE_KMS_KEY_ID,
          } as const),
    tokens: { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
    apiBasePath: env.API_BASE_PATH,
    portalOrigins: env.PORTAL_ORIGINS,
    portalBaseUrl: env.PORTAL_BASE_URL,
    mail: { from: env.MAIL_FROM, configurationSet: env.MAIL_CONFIGURATION_SET },
    support: { phone: env.SUPPORT_PHONE, hours: env.SUPPORT_HOURS, url: env.SUPPORT_URL },
    /** Where background jobs go: undefined in the functions that dispatch none. */
    accountWorker: env.ACCOUNT_WORKER_FUNCTION,
    lambdaEndpoint: env.LAMBDA_ENDPOINT,
    lettersBucket: env.LETTERS_BUCKET,
    failedJobsQueueUrl: env.FAILED_JOBS_QUEUE_URL,
    lettersKeyId: env.LETTERS_KMS_KEY_ID,
    feedBucket: env.FEED_BUCKET,
    feedKeyId: env.FEED_KMS_KEY_ID,
    auditRetentionDays: {
      keep: env.AUDIT_RETENTION_DAYS,
      short: Math.min(env.AUDIT_SHORT_RETENTION_DAYS, env.AUDIT_RETENTION_DAYS),
    },
    initialCodeValidDays: env.INITIAL_CODE_VALID_DAYS,
    forgotPerIp: { maxEvents: env.FORGOT_IP_MAX_REQUESTS, windowSeconds: env.FORGOT_IP_WINDOW_SECONDS },
    passkeyOptionsPerIp: {
      maxEvents: env.PASSKEY_OPTIONS_IP_MAX_REQUESTS,
      windowSeconds: env.PASSKEY_OPTIONS_IP_WINDOW_SECONDS,
    },
    credentials: {
      lockout: {
        maxConsecutiveFailures: env.LOCKOUT_MAX_CONSECUTIVE_FAILURES,
        baseLockSeconds: env.LOCKOUT_BASE_SECONDS,
        maxLockSeconds: Math.max(env.LOCKOUT_MAX_SECONDS, env.LOCKOUT_BASE_SECONDS),
        maxFailuresPerDay: env.LOCKOUT_MAX_FAILURES_PER_DAY,
      },
      perIp: { maxEvents: env.IP_MAX_FAILURES, windowSeconds: env.IP_WINDOW_SECONDS },
      perCode: { maxEvents: env.CODE_SPRAY_MAX_FAILURES, windowSeconds: env.CODE_SPRAY_WINDOW_SECONDS },
    },
    newDeviceVerification: env.NEW_DEVICE_VERIFICATION === 'true',
    passkeys: {
      rpId: env.WEBAUTHN_RP_ID ?? new URL(env.PORTAL_BASE_URL).hostname,
      rpName: env.WEBAUTHN_RP_NAME,
      origins: env.WEBAUTHN_ORIGINS ?? env.PORTAL_ORIGINS,
    },
    argon2: { memoryKiB: env.ARGON2_MEMORY_KIB, passes: env.ARGON2_PASSES, parallelism: env.ARGON2_PARALLELISM },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable is an unset one (`FOO= command`).
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return deepFreeze(toConfig(parsed.data));
}

/** This process's configuration, parsed at first use (the cold start) and never again. */
export const config: () => Config = /* @__PURE__ */ once(() => parseConfig(process.env));
