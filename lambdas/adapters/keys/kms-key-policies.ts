import { type KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';

/** Replaces a key's policy (PutKeyPolicy, the "default" policy every KMS key has). */
export async function putKeyPolicy(kms: KMSClient, keyArn: string, policy: unknown): Promise<void> {
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: JSON.stringify(policy) }));
}
