import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { type AwsCall, iamRequestsOf } from './iam-requests.ts';
import type { StackPolicies } from './template-policies.ts';

/** A call AWS would refuse, named so that a reader knows what to grant (or what not to call). */
export interface Denial {
  readonly fn: string;
  readonly action: string;
  readonly resource: string;
  readonly touched: string;
  readonly result: string;
}

export const describeDenial = (d: Denial) =>
  `${d.fn}: ${d.action} on ${d.touched} (${d.resource}) → ${d.result} by its role in the synthesised template`;

const verdicts = new Map<string, string>();

/**
 * Every IAM request of one SDK call, evaluated against the calling function's role statements in
 * the synthesised template — and the key policy too for KMS, which needs both.
 */
export async function deniedRequests(policies: StackPolicies, fn: string, call: AwsCall): Promise<Denial[]> {
  const role = policies.functions[fn];
  if (!role) throw new Error(`no function ${fn} in the synthesised stack`);
  const requests = iamRequestsOf(call, {
    account: policies.account,
    region: policies.region,
    tableArn: policies.tableArn,
    functionArn: (name) => policies.functionArns[name] ?? name,
  });
  const denials: Denial[] = [];
  for (const request of requests) {
    const keyPolicy = call.resourcePolicy ?? policies.keyPolicies[request.resource];
    const context = { ...request.context, ...call.context };
    // The same request meets the same verdict: a sign-in repeats most of its requests (the terms, the
    // throttle windows of one IP), and the suite's CPU is shared with timing-sensitive tests.
    const memo = JSON.stringify([policies.tableArn, fn, request.action, request.resource, context, keyPolicy ?? null]);
    const known = verdicts.get(memo);
    if (known !== undefined) {
      if (known !== 'Allowed') denials.push({ fn, ...request, result: known });
      continue;
    }
    const response = await runSimulation(
      {
        identityPolicies: [{ name: `${fn}-role`, policy: { Version: '2012-10-17', Statement: role.statements } }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(keyPolicy ? { resourcePolicy: keyPolicy } : {}),
        request: {
          action: request.action,
          principal: role.roleArn,
          resource: { accountId: policies.account, resource: request.resource },
          contextVariables: context,
        },
      },
      {},
    );
    if (response.resultType === 'error') {
      throw new Error(`the IAM simulation of ${fn} ${request.action} was refused: ${JSON.stringify(response.errors)}`);
    }
    verdicts.set(memo, response.overallResult);
    if (response.overallResult !== 'Allowed') {
      denials.push({ fn, ...request, result: response.overallResult });
    }
  }
  return denials;
}

/** One simulation's verdict (Allowed, ImplicitlyDenied, ExplicitlyDenied), or why it could not run. */
export async function outcomeOf(simulation: Simulation): Promise<string> {
  const answer = await runSimulation(simulation, {});
  return answer.resultType === 'error' ? `not simulated: ${JSON.stringify(answer.errors)}` : answer.overallResult;
}
