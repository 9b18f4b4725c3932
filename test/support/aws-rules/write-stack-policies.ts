/**
 * Synthesises the stack once for a test run and writes every function's role statements, ARNs
 * resolved, to the file named on the command line (jest's global setup runs this): the AWS calls
 * the tests make are then checked against it (test/support/aws-rules/check-calls.ts).
 */
import { writeFileSync } from 'node:fs';
import { localEnvironment } from '../../../lambdas/runtime/local-environment.ts';
import { synth } from '../../infra/synth.ts';
import { stackPolicies } from './template-policies.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: write-stack-policies.ts <file>');
// The sending identity and From address the local stack uses, so that the mail the tests send is checked as sent.
const mailFrom = localEnvironment()['MAIL_FROM']!;
const { stack, template } = synth('rules', { mailFrom, sesIdentity: mailFrom.split('@')[1] });
writeFileSync(out, JSON.stringify(stackPolicies(stack, template)));
