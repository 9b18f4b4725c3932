import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { JWK } from 'jose';

/**
 * The JWT public keys from their SSM parameter (`{"keys": […]}`), for the functions that only verify
 * tokens: they carry neither the Secrets Manager client nor a grant on the signing secret.
 */
export class AwsPublicKeys {
  readonly #ssm: () => SSMClient;
  readonly #parameterName: string;

  constructor(ssm: () => SSMClient, parameterName: string) {
    this.#ssm = ssm;
    this.#parameterName = parameterName;
  }

  async readPublicKeys(): Promise<JWK[]> {
    const { Parameter } = await this.#ssm().send(new GetParameterCommand({ Name: this.#parameterName }));
    return (JSON.parse(Parameter?.Value ?? '{"keys":[]}') as { keys: JWK[] }).keys;
  }
}
