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

/**
 * The policy of a key only some roles may use: the account administers it (which delegates none of
 * its uses to IAM), and only `users` may `actions`.
 */
function usersOnlyKeyPolicy(accountRoot: string, users: readonly string[], use: { sid: string; actions: string[] }) {
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
      { Sid: use.sid, Effect: 'Allow', Principal: { AWS: [...users] }, Action: use.actions, Resource: '*' },
    ],
  };
}

/** An HMAC key's policy: only `macUsers` (function and operator roles) compute MACs. */
export const macKeyPolicy = (accountRoot: string, macUsers: readonly string[]) =>
  usersOnlyKeyPolicy(accountRoot, macUsers, { sid: 'MacUsers', actions: ['kms:GenerateMac'] });

/** A token signing key's policy: only the roles of the functions that issue tokens sign (and read it). */
export const signingKeyPolicy = (accountRoot: string, signerRoleArns: readonly string[]) =>
  usersOnlyKeyPolicy(accountRoot, signerRoleArns, {
    sid: 'TokenIssuersSign',
    actions: ['kms:Sign', 'kms:GetPublicKey'],
  });
