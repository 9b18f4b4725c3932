/**
 * Managing a KMS key, never using it: what the account's administrators may do on every key of the
 * stack (the CDK's key policies and the token signing keys the CLI creates share it).
 */
export const KEY_ADMINISTRATION = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

/** The aliases of a stage's token signing keys: the one that signs, and the one it replaced (still published). */
export const tokenSigningAliases = (stageName: string) =>
  ({
    current: `alias/member-portal-auth/${stageName}/token-signing`,
    previous: `alias/member-portal-auth/${stageName}/token-signing-previous`,
  }) as const;

/** An HMAC key's policy: the account administers it, only `macUsers` (function and operator roles) compute MACs. */
export function macKeyPolicy(accountRoot: string, macUsers: readonly string[]) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'KeyAdministration',
        Effect: 'Allow',
        Principal: { AWS: accountRoot },
        Action: [...KEY_ADMINISTRATION],
        Resource: '*',
      },
      { Sid: 'MacUsers', Effect: 'Allow', Principal: { AWS: [...macUsers] }, Action: 'kms:GenerateMac', Resource: '*' },
    ],
  };
}
