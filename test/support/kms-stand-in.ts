import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  KMSClient,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  SignCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';

interface StandInKey {
  readonly arn: string;
  readonly createdAt: Date;
  readonly policy: string | undefined;
  readonly privateKey?: KeyObject;
  readonly publicKey?: KeyObject;
  readonly macSecret?: Buffer;
  deletionScheduled?: boolean;
}

/**
 * KMS as the adapters meet it, on aws-sdk-client-mock (there is no local KMS engine): asymmetric
 * keys that sign in DER and give their public half as SubjectPublicKeyInfo, HMAC keys, aliases,
 * NotFoundException for what does not exist; `before` runs first on every call (the IAM check).
 */
export function kmsStandIn(
  options: {
    region?: string;
    account?: string;
    now?: () => Date;
    /**
     * Runs first on every call, and may refuse it (the IAM check of the calling function), with the
     * key the call names (its ARN, its aliases, its policy) when it exists.
     */
    before?: (
      command: string,
      input: Record<string, unknown>,
      key: { arn: string; aliases: string[]; policy: string | undefined } | undefined,
    ) => Promise<void>;
  } = {},
) {
  const region = options.region ?? 'eu-west-3';
  const account = options.account ?? '123456789012';
  const now = options.now ?? (() => new Date());
  const keys = new Map<string, StandInKey>();
  const aliases = new Map<string, string>();
  const notFound = (what: string) => new NotFoundException({ message: `${what} is not found.`, $metadata: {} });
  const keyOf = (keyId: string | undefined): StandInKey => {
    const id = keyId?.startsWith('alias/') ? aliases.get(keyId) : keyId?.replace(/^arn:[^:]+:kms:[^:]+:\d+:key\//, '');
    const key = id ? keys.get(id) : undefined;
    if (!key || key.deletionScheduled) throw notFound(`Key '${keyId}'`);
    return key;
  };
  const idOf = (key: StandInKey) => key.arn.split('/').pop()!;
  const mock = mockClient(KMSClient);
  const checked =
    <I extends object, O>(command: string, answer: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      if (options.before) {
        const named = input as { KeyId?: string; TargetKeyId?: string };
        // An alias or key that does not exist is a NotFoundException before any authorisation.
        const key = named.KeyId ? keyOf(named.KeyId) : undefined;
        const aliasesOf = (k: StandInKey) => [...aliases].filter(([, id]) => id === idOf(k)).map(([alias]) => alias);
        await options.before(
          command,
          input as Record<string, unknown>,
          key ? { arn: key.arn, aliases: aliasesOf(key), policy: key.policy } : undefined,
        );
      }
      return answer(input);
    };

  const add = (kind: 'sign' | 'mac', policy?: string, id: string = randomUUID()) => {
    const arn = `arn:aws:kms:${region}:${account}:key/${id}`;
    const pair = kind === 'sign' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : undefined;
    keys.set(id, {
      arn,
      createdAt: now(),
      policy,
      ...(pair ? { privateKey: pair.privateKey, publicKey: pair.publicKey } : { macSecret: randomBytes(32) }),
    });
    return arn;
  };

  mock.on(CreateKeyCommand).callsFake(
    checked('CreateKeyCommand', async (input: { KeyUsage?: string; Policy?: string }) => {
      const arn = add(input.KeyUsage === 'SIGN_VERIFY' ? 'sign' : 'mac', input.Policy);
      return { KeyMetadata: { KeyId: arn.split('/').pop(), Arn: arn, CreationDate: now() } };
    }),
  );
  mock.on(CreateAliasCommand).callsFake(
    checked('CreateAliasCommand', async (input: { AliasName: string; TargetKeyId: string }) => {
      if (aliases.has(input.AliasName)) throw new Error(`AlreadyExistsException: ${input.AliasName}`);
      aliases.set(input.AliasName, idOf(keyOf(input.TargetKeyId)));
      return {};
    }),
  );
  mock.on(UpdateAliasCommand).callsFake(
    checked('UpdateAliasCommand', async (input: { AliasName: string; TargetKeyId: string }) => {
      if (!aliases.has(input.AliasName)) throw notFound(`Alias '${input.AliasName}'`);
      aliases.set(input.AliasName, idOf(keyOf(input.TargetKeyId)));
      return {};
    }),
  );
  mock.on(DescribeKeyCommand).callsFake(
    checked('DescribeKeyCommand', async (input: { KeyId: string }) => {
      const key = keyOf(input.KeyId);
      return { KeyMetadata: { KeyId: idOf(key), Arn: key.arn, CreationDate: key.createdAt } };
    }),
  );
  mock.on(GetPublicKeyCommand).callsFake(
    checked('GetPublicKeyCommand', async (input: { KeyId: string }) => {
      const key = keyOf(input.KeyId);
      if (!key.publicKey) throw new Error('InvalidKeyUsageException');
      return { KeyId: key.arn, PublicKey: new Uint8Array(key.publicKey.export({ format: 'der', type: 'spki' })) };
    }),
  );
  mock.on(SignCommand).callsFake(
    checked('SignCommand', async (input: { KeyId: string; Message: Uint8Array; SigningAlgorithm: string }) => {
      const key = keyOf(input.KeyId);
      if (!key.privateKey || input.SigningAlgorithm !== 'ECDSA_SHA_256') throw new Error('InvalidKeyUsageException');
      return { KeyId: key.arn, Signature: new Uint8Array(sign('sha256', input.Message, key.privateKey)) };
    }),
  );
  mock.on(GenerateMacCommand).callsFake(
    checked('GenerateMacCommand', async (input: { KeyId: string; Message: Uint8Array }) => {
      const key = keyOf(input.KeyId);
      if (!key.macSecret) throw new Error('InvalidKeyUsageException');
      return {
        KeyId: key.arn,
        Mac: new Uint8Array(createHmac('sha256', key.macSecret).update(input.Message).digest()),
      };
    }),
  );
  mock.on(ScheduleKeyDeletionCommand).callsFake(
    checked('ScheduleKeyDeletionCommand', async (input: { KeyId: string }) => {
      keyOf(input.KeyId).deletionScheduled = true;
      return {};
    }),
  );

  return {
    mock,
    /** An HMAC key under a given ARN (as the stack would have created it). */
    addMacKey: (arn: string) => add('mac', undefined, arn.split('/').pop()),
    aliasTarget: (alias: string) => aliases.get(alias),
    keyPolicy: (keyId: string) => keys.get(keyId.split('/').pop()!)?.policy,
    isScheduledForDeletion: (keyId: string) => keys.get(keyId.split('/').pop()!)?.deletionScheduled === true,
  };
}
