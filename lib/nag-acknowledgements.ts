import { type Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** cdk-nag findings accepted on purpose, on the construct they concern, each with its reason. */
export function acknowledge(scope: IConstruct, reasons: Record<string, string>): void {
  for (const [id, reason] of Object.entries(reasons)) Validations.of(scope).acknowledge({ id, reason });
}

/** The region and account as cdk-nag writes them in a finding: the pseudo parameter, or the literal a stage sets. */
export function nagPlaceholders(stack: Stack): { region: string; account: string } {
  return {
    region: Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region,
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
  };
}
