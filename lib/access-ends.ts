import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { handlerFunction, type SharedResources } from './handler-function.ts';

/**
 * The membership feed's end dates, recorded on their day: an hourly run (EventBridge) deactivates
 * the members and client companies whose date has come and ends their sessions. Sign-in and
 * sessions compare the dates themselves; this run is the record, within the hour.
 */
export class AccessEnds extends Construct {
  readonly runFunction: IFunction;

  constructor(scope: Construct, id: string, props: { readonly shared: SharedResources }) {
    super(scope, id);
    this.runFunction = handlerFunction(this, {
      name: 'access-ends',
      shared: props.shared,
      // A client company of tens of thousands of members is deactivated member by member.
      timeout: Duration.minutes(15),
    });
    new Rule(this, 'Hourly', {
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(this.runFunction, { retryAttempts: 2 })],
    });
  }
}
