import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { JWK } from 'jose';
import {
  NO_SIGNING_KEY_YET,
  parseSigningSecret,
  type SigningKeyStore,
  type SigningSecret,
} from '../../domain/signing-keys.ts';
import { AwsPublicKeys } from './aws-public-keys.ts';

/**
 * The signing secret in Secrets Manager (`{"current": <private JWK>, "previous": [<public JWK>…]}`),
 * its public keys in an SSM parameter (`{"keys": […]}`): the functions that only verify tokens are
 * granted the parameter alone. Each client is used only by the half it serves.
 */
export class AwsSigningKeyStore implements SigningKeyStore {
  readonly #secrets: () => SecretsManagerClient;
  readonly #ssm: () => SSMClient;
  readonly #secretId: string;
  readonly #parameterName: string;

  constructor(
    clients: { secrets: () => SecretsManagerClient; ssm: () => SSMClient },
    secretId: string,
    parameterName: string,
  ) {
    this.#secrets = clients.secrets;
    this.#ssm = clients.ssm;
    this.#secretId = secretId;
    this.#parameterName = parameterName;
  }

  async readSecret(): Promise<SigningSecret> {
    const secret = await this.readSecretIfAny();
    if (!secret) throw new Error(NO_SIGNING_KEY_YET);
    return secret;
  }

  async readSecretIfAny(): Promise<SigningSecret | undefined> {
    const { SecretString } = await this.#secrets().send(new GetSecretValueCommand({ SecretId: this.#secretId }));
    return SecretString ? parseSigningSecret(SecretString) : undefined;
  }

  async writeSecret(secret: SigningSecret): Promise<void> {
    await this.#secrets().send(
      new PutSecretValueCommand({ SecretId: this.#secretId, SecretString: JSON.stringify(secret) }),
    );
  }

  readPublicKeys(): Promise<JWK[]> {
    return new AwsPublicKeys(this.#ssm, this.#parameterName).readPublicKeys();
  }

  async writePublicKeys(keys: readonly JWK[]): Promise<void> {
    await this.#ssm().send(
      new PutParameterCommand({
        Name: this.#parameterName,
        Value: JSON.stringify({ keys }),
        Type: 'String',
        Overwrite: true,
      }),
    );
  }
}
