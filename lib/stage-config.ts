import { getDomain } from 'tldts';
import * as z from 'zod';
import { SUPPORT_PHONE_PATTERN } from '../lambdas/domain/support-contact.ts';

const https = () => z.url({ protocol: /^https$/ });
const kmsKeyArn = () => z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'a KMS key ARN');

/**
 * The site of a host as browsers see it for SameSite cookies: its registrable domain under the
 * Public Suffix List, private section included (every *.cloudfront.net and execute-api host is a
 * site of its own there).
 */
const siteOf = (host: string): string => getDomain(host, { allowPrivateDomains: true }) ?? host;

/** A stage's settings, from CDK context (`cdk.json` "stages", or `-c stage=<name>`), checked at synth. */
const StageConfigSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, 'lower-case letters, digits and dashes'),
    account: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    region: z.string().min(1).default('eu-west-3'),
    /** Origins allowed to call the API; default: the portal's own (`https://<portalDomainName>`). */
    portalOrigins: z.array(https()).min(1).optional(),
    /** Where the mails' links lead; default: the portal's own URL. */
    portalBaseUrl: https().optional(),
    /** Deploy the reference portal (S3 + CloudFront); false when the insurer has a front end of its own. */
    portal: z.boolean().default(true),
    /** The portal on the insurer's domain (e.g. espace-adherent.mutuelle.fr), with `portalCertificateArn`. */
    portalDomainName: z
      .string()
      .regex(/^(?=.{4,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'a DNS name, e.g. espace-adherent.mutuelle.fr')
      .optional(),
    /** An ACM certificate for `portalDomainName`, in us-east-1 (CloudFront's region). */
    portalCertificateArn: z
      .string()
      .regex(/^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/, 'an ACM certificate ARN in us-east-1')
      .optional(),
    /**
     * The API on the insurer's domain (e.g. auth.mutuelle.fr), with an empty base path, and the
     * execute-api endpoint disabled: the portal and the API are then the same site, which browsers
     * need to keep and send the SameSite=Strict refresh cookie.
     */
    apiDomainName: z
      .string()
      .regex(/^(?=.{4,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'a DNS name, e.g. auth.mutuelle.fr')
      .optional(),
    /** An ACM certificate for `apiDomainName`, in the stage's region. */
    apiCertificateArn: z
      .string()
      .regex(/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, 'an ACM certificate ARN')
      .optional(),
    /** A Route 53 hosted zone to add the alias record to; its name defaults to `apiDomainName` without its first label. */
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/)
      .optional(),
    hostedZoneName: z.string().min(3).optional(),
    /** `iss` of access tokens: `https://<apiDomainName>` with a custom domain (the discovery document is served there). */
    issuer: https().optional(),
    audience: z.string().min(1).default('member-portal'),
    mailFrom: z.email(),
    /**
     * The customer-service contact members see in the portal (footer, help, lock, deactivated and
     * unreachable pages) and at the foot of every mail (operations.md, "Configuration a deployer sets").
     */
    supportPhone: z.string().regex(SUPPORT_PHONE_PATTERN, 'a phone number, e.g. 09 69 32 10 00').optional(),
    supportHours: z.string().min(1).optional(),
    supportUrl: https().optional(),
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
    /**
     * New-device verification by email (on by default). Off, the right personal code signs in from
     * any browser: the 6-digit code alone stands between a stranger holding the NIR and the account
     * (docs/code-protection.md).
     */
    newDeviceVerification: z.boolean().default(true),
    /** Days audit entries are kept (DynamoDB TTL). */
    auditRetentionDays: z.number().int().min(30).default(365),
    /** EventBridge schedule of the letter export (daily by default, so letters leave within 48 h). */
    letterSchedule: z
      .string()
      .regex(/^(cron|rate)\(.+\)$/, 'an EventBridge schedule, e.g. cron(0 5 * * ? *)')
      .default('cron(0 5 * * ? *)'),
    /** Days an export file stays in the letters bucket. */
    letterRetentionDays: z.number().int().min(1).max(365).default(30),
    /** The membership feed: batches imported at once (Distributed Map MaxConcurrency), rows per batch, days kept. */
    feedConcurrency: z.number().int().min(1).max(1000).default(40),
    feedRowsPerBatch: z.number().int().min(1).max(2000).default(250),
    feedRetentionDays: z.number().int().min(1).max(365).default(30),
    /** The print provider's role, the only reader of the letters bucket. */
    printProviderRoleArn: z
      .string()
      .regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/)
      .optional(),
    /** The role operators run the CLI with: allowed to compute NIR lookup keys, peppers and letter codes. */
    operatorRoleArn: z
      .string()
      .regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/)
      .optional(),
    /** SNS topic the alarms notify; one is created when absent. */
    alarmTopicArn: z
      .string()
      .regex(/^arn:aws[\w-]*:sns:/)
      .optional(),
    /**
     * Create API Gateway's account-wide logging role and set it in the account's settings: only
     * where the account and region have none yet (docs/deploy.md) — it replaces the existing one.
     */
    apiGatewayLoggingRole: z.boolean().default(false),
    /**
     * The four HMAC keys and the data key as multi-Region primary keys, which `aws kms replicate-key`
     * can copy to a recovery region (the same key material: every NIR lookup and code hash still
     * works there). Set it at a stage's first deploy: changing it later replaces the keys, and every
     * member becomes unreachable.
     */
    multiRegionKeys: z.boolean().default(false),
    /** AWS Backup of the table: daily, kept `retentionDays`, copied to `copyVaultArn` (a vault in another region). */
    backup: z
      .object({
        retentionDays: z.number().int().min(7).max(3650).default(35),
        copyVaultArn: z
          .string()
          .regex(/^arn:aws[\w-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[\w.-]+$/, 'a backup vault ARN')
          .optional(),
      })
      .default({ retentionDays: 35 }),
    /**
     * What a former stack of the stage retained, or a recovery region holds (a restored table, replica
     * keys): used instead of new resources. The table only with its keys: its lookup keys and code
     * hashes were made with them. After the deploy, `npm run ops -- adopt-keys --stage <name>`.
     */
    adopt: z
      .object({
        tableName: z
          .string()
          .regex(/^[\w.-]{3,255}$/, 'a DynamoDB table name')
          .optional(),
        keys: z
          .object({
            nirLookup: kmsKeyArn(),
            codePepper: kmsKeyArn(),
            refreshToken: kmsKeyArn(),
            letterCode: kmsKeyArn(),
            data: kmsKeyArn(),
          })
          .optional(),
      })
      .optional(),
    /** CloudFormation termination protection; default: on wherever data is retained. */
    terminationProtection: z.boolean().optional(),
    /**
     * Accept an API that is another site than the portal's origins: browsers will then neither keep
     * nor send the SameSite=Strict refresh cookie, so only API clients (not the portal) keep sessions
     * past 15 minutes. For a stage without browsers; refused otherwise.
     */
    crossSiteApi: z.boolean().default(false),
    /** Requests per 5 minutes per IP on the sign-in and code routes, enforced by AWS WAF. */
    wafRateLimit: z.number().int().min(100).default(300),
    /** Requests per 5 minutes per IP on every route, enforced by AWS WAF. */
    wafGlobalRateLimit: z.number().int().min(100).default(3000),
  })
  .superRefine((stage, ctx) => {
    if (Boolean(stage.apiDomainName) !== Boolean(stage.apiCertificateArn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiCertificateArn'],
        message: 'apiDomainName and apiCertificateArn go together',
      });
    }
    if (stage.hostedZoneId && !stage.apiDomainName) {
      ctx.addIssue({ code: 'custom', path: ['hostedZoneId'], message: 'an alias record needs apiDomainName' });
    }
    if (Boolean(stage.portalDomainName) !== Boolean(stage.portalCertificateArn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['portalCertificateArn'],
        message: 'portalDomainName and portalCertificateArn go together',
      });
    }
    for (const key of ['portalOrigins', 'portalBaseUrl'] as const) {
      if (!stage[key] && !stage.portalDomainName) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'required without portalDomainName' });
      }
    }
    if (!stage.apiDomainName && !stage.issuer) {
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'required without apiDomainName' });
    }
    if (!stage.crossSiteApi) sameSite(stage, ctx);
    if (stage.adopt?.tableName && !stage.adopt.keys) {
      ctx.addIssue({
        code: 'custom',
        path: ['adopt', 'keys'],
        message: 'a table is adopted with the keys it was made with (its NIR lookup keys and code hashes need them)',
      });
    }
    if (stage.backup.copyVaultArn && stage.backup.copyVaultArn.split(':')[3] === stage.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['backup', 'copyVaultArn'],
        message: `a copy in the stage's own region (${stage.region}) does not survive its loss: name a vault in another region`,
      });
    }
    if (stage.apiDomainName && stage.issuer && new URL(stage.issuer).origin !== `https://${stage.apiDomainName}`) {
      ctx.addIssue({
        code: 'custom',
        path: ['issuer'],
        message: `with apiDomainName, the issuer is https://${stage.apiDomainName} (its discovery document is served there)`,
      });
    }
  })
  .transform((stage) => ({
    ...stage,
    portalOrigins: stage.portalOrigins ?? [`https://${stage.portalDomainName}`],
    portalBaseUrl: stage.portalBaseUrl ?? `https://${stage.portalDomainName}`,
    issuer: stage.issuer ?? `https://${stage.apiDomainName}`,
    terminationProtection: stage.terminationProtection ?? stage.retainData,
    hostedZoneName: stage.hostedZoneName ?? stage.apiDomainName?.split('.').slice(1).join('.'),
  }));

export type StageConfig = z.infer<typeof StageConfigSchema>;

/**
 * The portal and the API must be one site: the refresh cookie is SameSite=Strict, so a browser
 * neither keeps nor sends it across sites, and a member is signed out after 15 minutes.
 */
function sameSite(
  stage: {
    portal: boolean;
    portalDomainName?: string | undefined;
    portalOrigins?: string[] | undefined;
    apiDomainName?: string | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const portalHosts = [
    ...(stage.portalOrigins ?? []).flatMap((origin) => (URL.canParse(origin) ? [new URL(origin).hostname] : [])),
    ...(stage.portalDomainName ? [stage.portalDomainName] : []),
  ];
  const portalSite = portalHosts[0] ? siteOf(portalHosts[0]) : undefined;
  const noBrowsers = 'or crossSiteApi: true for a stage that no browser uses';
  if (stage.portal && !stage.portalDomainName) {
    ctx.addIssue({
      code: 'custom',
      path: ['portalDomainName'],
      message: `the portal would be served from its own *.cloudfront.net host, another site than the API: set portalDomainName and portalCertificateArn (${noBrowsers})`,
    });
  }
  if (!stage.apiDomainName) {
    ctx.addIssue({
      code: 'custom',
      path: ['apiDomainName'],
      message: `the API would be served on its execute-api host, another site than the portal, and browsers would drop the refresh cookie: set apiDomainName and apiCertificateArn to a name under ${portalSite ?? 'the portal’s domain'}, e.g. auth.${portalSite ?? 'mutuelle.fr'} (${noBrowsers})`,
    });
    return;
  }
  const apiSite = siteOf(stage.apiDomainName);
  for (const host of portalHosts) {
    if (siteOf(host) !== apiSite) {
      ctx.addIssue({
        code: 'custom',
        path: ['portalOrigins'],
        message: `${host} is another site than the API's ${stage.apiDomainName} (${apiSite}): the portal and the API must share a registrable domain, e.g. espace.${apiSite} and auth.${apiSite} (${noBrowsers})`,
      });
    }
  }
}

export function parseStageConfig(name: string, raw: unknown): StageConfig {
  const parsed = StageConfigSchema.safeParse({ ...(raw as object), name });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(stage)'}: ${i.message}`).join('; ');
    throw new Error(`Stage "${name}" is misconfigured: ${problems}`);
  }
  return parsed.data;
}

/**
 * The "stages" of the CDK context: an object in cdk.json, or a JSON string when given on the
 * command line (`-c stages='{"prod":{…}}'` — context from `-c` always arrives as a string).
 */
export function stagesFromContext(raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw) as unknown;
    } catch {
      throw new Error('Context "stages" given with -c is not valid JSON');
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error('Context "stages" must be an object of stages by name');
  return raw as Record<string, unknown>;
}

/** The stage named by `-c stage=<name>` (default: the example stage of cdk.json). */
export function selectStage(stageName: string, rawStages: unknown): StageConfig {
  const stages = stagesFromContext(rawStages);
  if (!Object.hasOwn(stages, stageName))
    throw new Error(`No stage "${stageName}" in context "stages" (cdk.json): ${Object.keys(stages).join(', ')}`);
  return parseStageConfig(stageName, stages[stageName]);
}
