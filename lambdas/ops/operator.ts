import { hostname, userInfo } from 'node:os';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/**
 * Who runs an operator command, for the audit trail: `OPERATOR` if set, else the local user on the
 * local stack, else the AWS principal (STS) on a deployed stage.
 */
export async function operatorIdentity(local: boolean, region: string): Promise<string> {
  const explicit = process.env['OPERATOR'];
  if (explicit) return explicit;
  if (local) return `${userInfo().username}@${hostname()}`;
  const { Arn } = await new STSClient({ region }).send(new GetCallerIdentityCommand({}));
  if (!Arn) throw new Error('STS returned no caller identity');
  return Arn;
}
