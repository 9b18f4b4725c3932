import type { HmacKey } from '../contract/function-access.ts';
import { macKeyPolicy } from '../contract/key-policy.ts';

/** The stack outputs naming each HMAC key (and MacKeyUsers: who may compute MACs with each). */
const KEY_OUTPUTS: Record<Exclude<HmacKey, 'passkey-challenge'>, string> = {
  'nir-lookup': 'NirLookupKmsKeyId',
  'code-pepper': 'CodePepperKmsKeyId',
  'refresh-token': 'RefreshTokenKmsKeyId',
  'letter-code': 'LetterCodeKmsKeyId',
};

export interface KeyPolicyChange {
  readonly key: HmacKey;
  readonly keyArn: string;
  readonly macUsers: readonly string[];
  readonly policy: ReturnType<typeof macKeyPolicy>;
}

/**
 * The policies adopted HMAC keys need under a new stack: a retained key's policy still names the
 * roles of the stack that created it, which no longer exist, so no function could compute a MAC
 * (and no member sign in) until it is rewritten — with the same shape as the stack's own keys.
 */
export function adoptedKeyPolicies(outputs: Record<string, string>): KeyPolicyChange[] {
  const users = JSON.parse(outputs['MacKeyUsers'] ?? '{}') as Partial<Record<HmacKey, string[]>>;
  return (Object.keys(KEY_OUTPUTS) as Array<keyof typeof KEY_OUTPUTS>).map((key) => {
    const keyArn = outputs[KEY_OUTPUTS[key]];
    const [, partition, account] = /^arn:(aws[\w-]*):kms:[a-z0-9-]+:(\d{12}):key\//.exec(keyArn ?? '') ?? [];
    if (!keyArn || !partition || !account)
      throw new Error(`the stack has no KMS key ARN in its output ${KEY_OUTPUTS[key]}`);
    const macUsers = users[key] ?? [];
    if (macUsers.length === 0)
      throw new Error(`the stack names no role that computes MACs with the ${key} key (MacKeyUsers)`);
    return { key, keyArn, macUsers, policy: macKeyPolicy(`arn:${partition}:iam::${account}:root`, macUsers) };
  });
}
