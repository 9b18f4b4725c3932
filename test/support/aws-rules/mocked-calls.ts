import { type Denial, deniedRequests } from './simulate.ts';
import type { StackPolicies } from './template-policies.ts';

/** What aws-sdk-client-mock records of a call: the command, whose class names the operation. */
interface RecordedCall {
  readonly args: readonly unknown[];
}

/**
 * The calls a mocked client received, evaluated against one function's role in the synthesised
 * template: what the services the local stack stands in for (KMS, SSM, S3, SES, Lambda) would refuse.
 */
export async function denialsOf(
  policies: StackPolicies,
  fn: string,
  client: string,
  calls: readonly RecordedCall[],
): Promise<Denial[]> {
  const denials: Denial[] = [];
  for (const call of calls) {
    const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
    denials.push(
      ...(await deniedRequests(policies, fn, { client, command: command.constructor.name, input: command.input })),
    );
  }
  return denials;
}

/** Whether one request would be allowed: how a stand-in decides what AWS would answer (S3's 404 or 403). */
export async function allows(
  policies: StackPolicies,
  fn: string,
  client: string,
  command: string,
  input: Record<string, unknown>,
): Promise<boolean> {
  return (await deniedRequests(policies, fn, { client, command, input })).length === 0;
}
