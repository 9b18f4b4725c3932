import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** cdk-nag findings accepted on purpose, on the construct they concern, each with its reason. */
export function acknowledge(scope: IConstruct, reasons: Record<string, string>): void {
  for (const [id, reason] of Object.entries(reasons)) Validations.of(scope).acknowledge({ id, reason });
}
