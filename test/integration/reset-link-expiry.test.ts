import { beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoAttemptStore } from '../../lambdas/adapters/dynamo/attempt-store.ts';
import { DynamoTrustedDeviceStore } from '../../lambdas/adapters/dynamo/device-store.ts';
import { DynamoLetterStore } from '../../lambdas/adapters/dynamo/letter-store.ts';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import { DynamoPasskeyStore } from '../../lambdas/adapters/dynamo/passkey-store.ts';
import { DynamoResetLinkStore } from '../../lambdas/adapters/dynamo/reset-link-store.ts';
import type { Table } from '../../lambdas/adapters/dynamo/table.ts';
import { LocalHmacKey } from '../../lambdas/adapters/keys/local-key-files.ts';
import { CodeHasher, OWASP_MINIMUM } from '../../lambdas/domain/code-hashing.ts';
import { InvalidResetTokenError } from '../../lambdas/domain/errors.ts';
import { CodeReset, ForgottenCodeWork, RESET_LINK_VALID_MINUTES } from '../../lambdas/domain/forgotten-code.ts';
import { LetterQueue } from '../../lambdas/domain/letters.ts';
import { NirLocks } from '../../lambdas/domain/lock-recovery.ts';
import { MemberMail } from '../../lambdas/domain/member-mail.ts';
import { importMemberRecord } from '../../lambdas/domain/member-row.ts';
import { PasskeyRemoval } from '../../lambdas/domain/passkey-removal.ts';
import type { OutgoingMail } from '../../lambdas/domain/ports.ts';
import { TrustedDevices } from '../../lambdas/domain/trusted-devices.ts';
import { silentEvents } from '../support/in-memory.ts';
import { memberRow } from '../support/member-rows.ts';
import { uniqueNir } from '../support/members.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

let table: Table;
beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

describe('reset link lifetime (clock injected)', () => {
  it('works until 60 minutes after it was sent, and not a minute later', async () => {
    // From the real time: DynamoDB Local deletes items whose TTL has passed, and a clock fixed in the past
    // made this test's items expire under it (a session vanished in CI).
    let now = Date.now();
    const clock = { now: () => now };
    const sent: OutgoingMail[] = [];
    const events = silentEvents;
    const members = new DynamoMemberRepository(table);
    const resetLinks = new DynamoResetLinkStore(table);
    const nirHasher = new LocalHmacKey(Buffer.alloc(32, 1));
    const codeHasher = new CodeHasher(new LocalHmacKey(Buffer.alloc(32, 2)), OWASP_MINIMUM);
    const mail = new MemberMail({ send: async (m) => void sent.push(m) }, events, {
      portalUrl: 'https://portal.example',
    });
    const forgotten = new ForgottenCodeWork({
      members,
      resetLinks,
      letters: new LetterQueue({ letters: new DynamoLetterStore(table), clock, events }),
      mail,
      clock,
      events,
      portalBaseUrl: 'https://portal.example/',
    });
    const locks = new NirLocks(new DynamoAttemptStore(table), clock, events);
    const devices = new TrustedDevices({ devices: new DynamoTrustedDeviceStore(table), mail, clock, events });
    const passkeys = new PasskeyRemoval({ passkeys: new DynamoPasskeyStore(table), members, mail, events });
    const reset = new CodeReset({
      members,
      resetLinks,
      nirHasher,
      codeHasher,
      locks,
      passkeys,
      mail,
      devices,
      clock,
      events,
    });
    const nirs = [uniqueNir(), uniqueNir()];
    for (const nir of nirs) {
      await importMemberRecord(memberRow({ nir, email: `${nir}@example.org` }), {
        members,
        nirHasher,
        codeHasher,
        clock,
        initialCodeValidDays: 365,
      });
    }
    const tokenFor = async (nir: string) => {
      await forgotten.process({
        kind: 'FORGOT',
        memberKey: (await nirHasher.digest(`nir:${nir}`)).toString('base64url'),
        requestId: 'r',
        language: 'fr',
      });
      const link = sent.filter((m) => m.to === `${nir}@example.org`).pop()!;
      expect(link.text).toContain('https://portal.example/mot-de-passe/reinitialiser#token=');
      return /token=([\w-]+)/.exec(link.text)![1]!;
    };
    const source = { requestId: 'r', sourceIp: '192.0.2.1', language: 'fr' as const };

    const early = await tokenFor(nirs[0]!);
    now += (RESET_LINK_VALID_MINUTES - 1) * 60_000;
    await expect(
      reset.reset({ token: early, nir: nirs[0]!, newCode: '583927', newCodeConfirmation: '583927' }, source),
    ).resolves.toEqual({ device: undefined });

    const late = await tokenFor(nirs[1]!);
    now += RESET_LINK_VALID_MINUTES * 60_000 + 1;
    await expect(
      reset.reset({ token: late, nir: nirs[1]!, newCode: '583927', newCodeConfirmation: '583927' }, source),
    ).rejects.toThrow(InvalidResetTokenError);
  });
});
