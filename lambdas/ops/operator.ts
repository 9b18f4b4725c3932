import { hostname, userInfo } from 'node:os';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

export interface OperatorIdentity {
  /** Verified: the local user on the local stack, the AWS principal (STS) on a deployed stage. */
  readonly operator: string;
  /** `OPERATOR`, when set: a name the operator gives, recorded beside the verified identity, never instead of it. */
  readonly operatorClaim?: string | undefined;
}

/** Who runs an operator command, for the audit trail. */
export async function operatorIdentity(local: boolean, region: string): Promise<OperatorIdentity> {
  const claim = process.env['OPERATOR'] || undefined;
  if (local) return { operator: `${userInfo().username}@${hostname()}`, operatorClaim: claim };
  const { Arn } = await new STSClient({ region }).send(new GetCallerIdentityCommand({}));
  if (!Arn) throw new Error('STS returned no caller identity');
  return { operator: Arn, operatorClaim: claim };
}
