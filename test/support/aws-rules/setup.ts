/**
 * AWS's IAM rules where the tests run (jest setupFilesAfterEnv): DynamoDB Local, the SES emulator
 * and the local Lambda stand-in enforce no IAM, so every AWS call a handler makes is evaluated
 * against that handler's role in the synthesised template (written once by the global setup) and
 * refused as AWS would refuse it; a test in which any call was refused fails, naming the function,
 * the action and the partition or object it touched.
 */
import { readFileSync } from 'node:fs';
import { afterEach } from '@jest/globals';
import { checkAwsCalls } from './call-recorder.ts';
import { type Denial, deniedRequests, describeDenial } from './simulate.ts';
import type { StackPolicies } from './template-policies.ts';

const file = process.env['TEST_STACK_POLICIES'];
if (file) {
  let policies: StackPolicies | undefined;
  const denials: Denial[] = [];
  checkAwsCalls(async (fn, call) => {
    policies ??= JSON.parse(readFileSync(file, 'utf8')) as StackPolicies;
    const denied = await deniedRequests(policies, fn, call);
    const [first] = denied;
    if (!first) return undefined;
    denials.push(...denied);
    return Object.assign(
      new Error(
        `User: ${policies.functions[fn]?.roleArn} is not authorized to perform: ${first.action} on resource: ${first.resource}`,
      ),
      { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
    );
  });
  afterEach(() => {
    const refused = denials.splice(0);
    if (refused.length) {
      throw new Error(
        `AWS would refuse ${refused.length} call(s) of this test:\n${[...new Set(refused.map(describeDenial))].join('\n')}`,
      );
    }
  });
}
