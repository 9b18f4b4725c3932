import * as z from 'zod/mini';
import { OWASP_MINIMUM } from '../domain/code-hashing.ts';
import { once } from './once.ts';

// zod/mini: the same zod 4 engine without the method-chaining API, a fifth of the bundle size
// that every handler carries into its cold start.
const int = (fallback: number, min: number) =>
  z._default(
    z.coerce.number().check(z.refine(Number.isInteger, 'must be an integer'), z.minimum(min)),
    fallback,
  );
const text = () => z.string().check(z.minLength(1));
const httpUrl = () => z.url({ protocol: /^https?$/ });
const origins = z.pipe(
  z.pipe(text(), z.transform((s: string) => s.split(',').map((o) => o.trim()).filter(Boolean))),
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
    JWT_SIGNING_SECRET_ID: z.optional(text()),
    JWT_ISSUER: z.url(),
    JWT_AUDIENCE: text(),
    PORTAL_ORIGINS: origins,
    PORTAL_BASE_URL: httpUrl(),
    MAIL_FROM: z.email(),
    MAIL_CONFIGURATION_SET: z.optional(text()),
    FORGOT_DISPATCH: z._default(z.enum(['in-process', 'lambda']), 'in-process'),
    FORGOT_WORKER_FUNCTION: z.optional(text()),
    LETTERS_BUCKET: z.optional(text()),
    AUDIT_RETENTION_DAYS: int(365, 30),
    LOCKOUT_MAX_CONSECUTIVE_FAILURES: int(5, 1),
    LOCKOUT_BASE_SECONDS: int(900, 900),
    LOCKOUT_MAX_SECONDS: int(24 * 3600, 900),
    LOCKOUT_MAX_FAILURES_PER_DAY: int(25, 1),
    IP_MAX_FAILURES: int(100, 1),
    IP_WINDOW_SECONDS: int(900, 60),
    CODE_SPRAY_MAX_FAILURES: int(30, 1),
    CODE_SPRAY_WINDOW_SECONDS: int(3600, 60),
    ARGON2_MEMORY_KIB: int(OWASP_MINIMUM.memoryKiB, OWASP_MINIMUM.memoryKiB),
    ARGON2_PASSES: int(OWASP_MINIMUM.passes, OWASP_MINIMUM.passes),
    ARGON2_PARALLELISM: int(OWASP_MINIMUM.parallelism, 1),
  })
  .check(
    z.superRefine((env, ctx) => {
      const required =
        env.KEYS_SOURCE === 'local'
          ? (['LOCAL_KEYS_DIR'] as const)
          : (['NIR_LOOKUP_KMS_KEY_ID', 'CODE_PEPPER_KMS_KEY_ID', 'JWT_SIGNING_SECRET_ID'] as const);
      if (env.FORGOT_DISPATCH === 'lambda' && !env.FORGOT_WORKER_FUNCTION) {
        ctx.addIssue({ code: 'custom', path: ['FORGOT_WORKER_FUNCTION'], message: 'required when FORGOT_DISPATCH=lambda', input: undefined });
      }
      for (const name of required) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `required when KEYS_SOURCE=${env.KEYS_SOURCE}`, input: env[name] });
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
            signingSecretId: env.JWT_SIGNING_SECRET_ID!,
          } as const),
    tokens: { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
    portalOrigins: env.PORTAL_ORIGINS,
    portalBaseUrl: env.PORTAL_BASE_URL,
    mail: { from: env.MAIL_FROM, configurationSet: env.MAIL_CONFIGURATION_SET },
    forgotDispatch:
      env.FORGOT_DISPATCH === 'lambda'
        ? ({ mode: 'lambda', functionName: env.FORGOT_WORKER_FUNCTION! } as const)
        : ({ mode: 'in-process' } as const),
    lettersBucket: env.LETTERS_BUCKET,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    credentials: {
      lockout: {
        maxConsecutiveFailures: env.LOCKOUT_MAX_CONSECUTIVE_FAILURES,
        baseLockSeconds: env.LOCKOUT_BASE_SECONDS,
        maxLockSeconds: Math.max(env.LOCKOUT_MAX_SECONDS, env.LOCKOUT_BASE_SECONDS),
        maxFailuresPerDay: env.LOCKOUT_MAX_FAILURES_PER_DAY,
      },
      perIp: { maxFailures: env.IP_MAX_FAILURES, windowSeconds: env.IP_WINDOW_SECONDS },
      perCode: { maxFailures: env.CODE_SPRAY_MAX_FAILURES, windowSeconds: env.CODE_SPRAY_WINDOW_SECONDS },
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
