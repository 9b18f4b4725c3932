import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { KeyedHasher } from '../../domain/ports.ts';

/** A KMS HMAC key (HMAC_256): the key never leaves KMS, so neither the code nor the Lambda can leak it. */
export class KmsHmacKey implements KeyedHasher {
  readonly #kms: KMSClient;
  readonly #keyId: string;

  constructor(kms: KMSClient, keyId: string) {
    this.#kms = kms;
    this.#keyId = keyId;
  }

  async digest(message: string): Promise<Buffer> {
    const { Mac } = await this.#kms.send(
      new GenerateMacCommand({ KeyId: this.#keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message) }),
    );
    if (!Mac) throw new Error('KMS returned no MAC');
    return Buffer.from(Mac);
  }
}
