import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsCall } from './iam-requests.ts';

/** The function an SDK call is made for: set around each handler the tests invoke. */
const runningFunction = new AsyncLocalStorage<string>();

/** Runs `work` as function `name`: every AWS call it makes is checked against that function's role. */
export const asFunction = <T>(name: string, work: () => T): T => runningFunction.run(name, work);

export type CallCheck = (fn: string, call: AwsCall) => Promise<Error | undefined>;

let registered: CallCheck | undefined;

/**
 * For a stand-in that answers in the client's place (aws-sdk-client-mock, where no middleware runs):
 * the same check of the function running, throwing what AWS would answer when it is refused.
 */
export async function refuseAsAws(call: AwsCall): Promise<void> {
  const fn = runningFunction.getStore();
  if (!fn || !registered) return;
  const refusal = await registered(fn, call);
  if (refusal) throw refusal;
}

interface SmithyClient {
  middlewareStack: {
    add: (middleware: unknown, options: { step: string; name: string; priority?: string }) => void;
  };
  send: (...args: unknown[]) => Promise<unknown>;
}

const instrumented = new WeakSet<object>();

/**
 * Puts a middleware on every AWS SDK client at its first call (all of them share smithy's Client
 * class): after serialisation, a call made for a function is checked, and refused the way AWS
 * refuses it (AccessDeniedException) when that function's role does not allow it. Calls made
 * outside any function (a test seeding its table) are not checked.
 */
export function checkAwsCalls(check: CallCheck): void {
  registered = check;
  const clientClass = Object.getPrototypeOf(DynamoDBClient.prototype) as SmithyClient;
  if (instrumented.has(clientClass)) return;
  instrumented.add(clientClass);
  const send = clientClass.send;
  clientClass.send = function (this: SmithyClient, ...args: unknown[]) {
    if (!instrumented.has(this.middlewareStack)) {
      instrumented.add(this.middlewareStack);
      this.middlewareStack.add(
        (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: Record<string, unknown>) =>
          async (args: { input: Record<string, unknown> }) => {
            const fn = runningFunction.getStore();
            if (fn) {
              const refusal = await check(fn, {
                client: String(context['clientName']),
                command: String(context['commandName']),
                input: args.input,
              });
              if (refusal) throw refusal;
            }
            return next(args);
          },
        { step: 'build', name: 'awsRulesCheck', priority: 'high' },
      );
    }
    return send.apply(this, args);
  };
}
