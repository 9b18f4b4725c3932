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
