import * as z from 'zod';

/** A stage's settings, from CDK context (`cdk.json` "stages", or `-c stage=<name>`), checked at synth. */
export const StageConfigSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, 'lower-case letters, digits and dashes'),
  account: z.string().regex(/^\d{12}$/).optional(),
  region: z.string().min(1).default('eu-west-3'),
  portalOrigins: z.array(z.url({ protocol: /^https$/ })).min(1),
  portalBaseUrl: z.url({ protocol: /^https$/ }),
  issuer: z.url({ protocol: /^https$/ }),
  audience: z.string().min(1).default('member-portal'),
  mailFrom: z.email(),
  /** The verified SES identity (domain or address) mail is sent from. */
  sesIdentity: z.string().min(3),
  retainData: z.boolean().default(true),
  /** Within the CNIL envelope (délibération 2022-100): at most 10 consecutive failures, 25 a day. */
  lockout: z
    .object({
      maxConsecutiveFailures: z.number().int().min(1).max(10).default(5),
      maxFailuresPerDay: z.number().int().min(1).max(25).default(25),
      ipMaxFailures: z.number().int().min(1).default(100),
    })
    .default({ maxConsecutiveFailures: 5, maxFailuresPerDay: 25, ipMaxFailures: 100 }),
  /** Days audit entries are kept (DynamoDB TTL). */
  auditRetentionDays: z.number().int().min(30).default(365),
  /** EventBridge schedule of the letter export (daily by default, so letters leave within 48 h). */
  letterSchedule: z.string().regex(/^(cron|rate)\(.+\)$/, 'an EventBridge schedule, e.g. cron(0 5 * * ? *)').default('cron(0 5 * * ? *)'),
  /** Days an export file stays in the letters bucket. */
  letterRetentionDays: z.number().int().min(1).max(365).default(30),
  /** The print provider's role, the only reader of the letters bucket. */
  printProviderRoleArn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/).optional(),
  /** SNS topic the alarms notify; one is created when absent. */
  alarmTopicArn: z.string().regex(/^arn:aws[\w-]*:sns:/).optional(),
  /** Requests per 5 minutes per IP on the sign-in and code routes, enforced by AWS WAF. */
  wafRateLimit: z.number().int().min(100).default(300),
});

export type StageConfig = z.infer<typeof StageConfigSchema>;

export function parseStageConfig(name: string, raw: unknown): StageConfig {
  const parsed = StageConfigSchema.safeParse({ ...(raw as object), name });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(stage)'}: ${i.message}`).join('; ');
    throw new Error(`Stage "${name}" is misconfigured: ${problems}`);
  }
  return parsed.data;
}
