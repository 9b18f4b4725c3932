import { Stack } from 'aws-cdk-lib';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The verified SES identity (domain or address) mail leaves from. */
  readonly identity: string;
  /** The one From address the functions may use. */
  readonly fromAddress: string;
}

/**
 * Sending through one identity and one From address only, with a configuration set whose
 * suppression list keeps bounces and complaints: an address that bounced is not tried again.
 */
export class Mail extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly #identityArn: string;
  readonly #fromAddress: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
    });
    // What became of member mail, as CloudWatch metrics of this configuration set (sends,
    // deliveries, bounces, complaints, rejects): without a destination SES records none of it.
    this.configurationSet.addEventDestination('ToCloudWatch', {
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.DELIVERY_DELAY,
      ],
      destination: EventDestination.cloudWatchDimensions([
        { name: 'mail', source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'member-mail' },
      ]),
    });
    this.#identityArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.identity,
    });
    this.#fromAddress = props.fromAddress;
  }

  grantSend(grantee: IGrantable): void {
    const stack = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: [
          this.#identityArn,
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': this.#fromAddress } },
      }),
    );
  }
}
