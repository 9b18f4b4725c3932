import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SES_MAX_ATTEMPTS, sesClient } from '../../lambdas/adapters/mail/ses-client.ts';
import { SesMailer } from '../../lambdas/adapters/mail/ses-mailer.ts';

/** An SES endpoint that answers every request with `status`, counting them. */
async function failingSes(status: number, errorType: string) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res
        .writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': errorType })
        .end(JSON.stringify({ message: errorType }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// The fake endpoint takes any credentials; the SDK only needs some to sign with.
const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
beforeAll(() => {
  process.env['AWS_ACCESS_KEY_ID'] = 'test';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
});
afterAll(() => {
  for (const [name, value] of [
    ['AWS_ACCESS_KEY_ID', saved.id],
    ['AWS_SECRET_ACCESS_KEY', saved.secret],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const mail = { to: 'claire@example.org', subject: 's', text: 't', html: '<p>t</p>' };

describe('mail retries are the SDK’s (no loop stacked on them)', () => {
  it('a mail refused by a throttling or failing SES is tried three times in all, then given up', async () => {
    const ses = await failingSes(503, 'ServiceUnavailable');
    try {
      const mailer = new SesMailer(sesClient('eu-west-3', ses.endpoint), 'no-reply@example.org');
      await expect(mailer.send(mail)).rejects.toThrow();
      expect(ses.requests()).toBe(SES_MAX_ATTEMPTS);
      expect(SES_MAX_ATTEMPTS).toBe(3);
    } finally {
      await ses.close();
    }
  });

  it('a mail SES refuses for a reason retrying cannot change is tried once', async () => {
    const ses = await failingSes(400, 'BadRequestException');
    try {
      await expect(
        new SesMailer(sesClient('eu-west-3', ses.endpoint), 'no-reply@example.org').send(mail),
      ).rejects.toThrow();
      expect(ses.requests()).toBe(1);
    } finally {
      await ses.close();
    }
  });
});
