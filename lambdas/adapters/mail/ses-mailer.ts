import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingMail } from '../../domain/ports.ts';

/** SES v2 SendEmail (locally the aws-ses-v2-local emulator, which stores every recipient). */
export class SesMailer implements Mailer {
  readonly #ses: SESv2Client;
  readonly #from: string;
  readonly #configurationSet: string | undefined;

  constructor(ses: SESv2Client, from: string, configurationSet?: string) {
    this.#ses = ses;
    this.#from = from;
    this.#configurationSet = configurationSet;
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.#ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.#from,
        Destination: { ToAddresses: [mail.to] },
        ConfigurationSetName: this.#configurationSet,
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
          },
        },
      }),
    );
  }
}
