import { readFileSync } from 'node:fs';
import { KMSClient } from '@aws-sdk/client-kms';
import { rotateKmsSigningKey } from '../../lambdas/adapters/keys/kms-token-signing.ts';
import { actionsOfStatement } from '../infra/synth.ts';
import { startApiWithTerms } from './api-under-test.ts';
import { refuseAsAws } from './aws-rules/call-recorder.ts';
import type { StackPolicies } from './aws-rules/template-policies.ts';
import { kmsStandIn } from './kms-stand-in.ts';

/** The KMS variables each function gets in the synthesised stack (ARNs and aliases, the same for all that have them). */
const KMS_VARIABLES = [
  'LETTERS_BUCKET',
  'LETTERS_KMS_KEY_ID',
  'FEED_BUCKET',
  'FEED_KMS_KEY_ID',
  'NIR_LOOKUP_KMS_KEY_ID',
  'CODE_PEPPER_KMS_KEY_ID',
  'REFRESH_TOKEN_KMS_KEY_ID',
  'LETTER_CODE_KMS_KEY_ID',
  'PASSKEY_CHALLENGE_KMS_KEY_ID',
  'TOKEN_SIGNING_KEY_ALIAS',
  'TOKEN_SIGNING_PREVIOUS_KEY_ALIAS',
] as const;

/**
 * The API with its keys in KMS, as deployed (KEYS_SOURCE=aws, the key ARNs and aliases of the
 * synthesised stack), KMS itself stood in for on aws-sdk-client-mock: every KMS call a handler
 * makes is checked against that function's role and the key's own policy, and refused as AWS would.
 * The token signing key is created by the operators' rotation, as on a new stage.
 */
export type ApiOverKms = Awaited<ReturnType<typeof startApiOverKms>>;

export async function startApiOverKms() {
  const file = process.env['TEST_STACK_POLICIES'];
  if (!file) throw new Error('no synthesised stack: run the tests through jest (global setup)');
  const policies = JSON.parse(readFileSync(file, 'utf8')) as StackPolicies;
  const deployed: Record<string, string> = {};
  for (const fn of Object.values(policies.functions)) {
    for (const name of KMS_VARIABLES) if (fn.environment[name]) deployed[name] = fn.environment[name]!;
  }
  const kms = kmsStandIn({
    region: policies.region,
    account: policies.account,
    before: (command, input, key) =>
      refuseAsAws({
        client: 'KMSClient',
        command,
        input: key ? { ...input, KeyId: key.arn } : input,
        ...(key ? { context: { 'kms:ResourceAliases': key.aliases } } : {}),
        ...(key?.policy ? { resourcePolicy: JSON.parse(key.policy) } : {}),
      }),
  });
  for (const name of [
    'NIR_LOOKUP_KMS_KEY_ID',
    'CODE_PEPPER_KMS_KEY_ID',
    'REFRESH_TOKEN_KMS_KEY_ID',
    'LETTER_CODE_KMS_KEY_ID',
    'PASSKEY_CHALLENGE_KMS_KEY_ID',
  ])
    kms.addMacKey(deployed[name]!);
  const api = await startApiWithTerms({ KEYS_SOURCE: 'aws', ...deployed });
  // The first signing key, as the runbook has the operators create it after the first deploy.
  const signers = Object.values(policies.functions)
    .filter((fn) => fn.statements.some((s) => actionsOfStatement(s).includes('kms:Sign')))
    .map((fn) => fn.roleArn);
  const stop = async () => {
    kms.mock.restore();
    await api.stop();
  };
  let rotation: Awaited<ReturnType<typeof rotateKmsSigningKey>>;
  try {
    rotation = await rotateKmsSigningKey(
      new KMSClient({ region: policies.region }),
      { current: deployed['TOKEN_SIGNING_KEY_ALIAS']!, previous: deployed['TOKEN_SIGNING_PREVIOUS_KEY_ALIAS']! },
      { signerRoleArns: signers, description: 'test', now: Date.now() },
    );
  } catch (error) {
    // No server left listening: the test file fails at once instead of keeping jest from exiting.
    await stop();
    throw error;
  }
  return {
    ...api,
    kms,
    signingKey: rotation,
    stop,
  };
}
