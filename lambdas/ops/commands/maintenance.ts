import { KMSClient } from '@aws-sdk/client-kms';
import { AWS_CLIENT_LIMITS } from '../../adapters/client-limits.ts';
import { purgeNirWindowDigests } from '../../adapters/dynamo/nir-digest-purge.ts';
import { RotationTooSoonError, rotateKmsSigningKey } from '../../adapters/keys/kms-token-signing.ts';
import { LocalSigningKeyFiles } from '../../adapters/keys/local-signing-keys.ts';
import { rotateSigningKey } from '../../domain/signing-keys.ts';
import { config, table } from '../../runtime/services.ts';
import { defineCommand } from '../command.ts';
import { OperatorFailure } from '../failure.ts';
import { progress, say } from '../output.ts';

export const purgeNirDigests = defineCommand({
  name: 'purge-nir-digests',
  summary: 'migration: remove the NIR window digests kept by versions before 2026-11-26',
  usage: '',
  details: 'Scans the table once; safe to run twice.',
  options: {},
  async run() {
    const purged = await purgeNirWindowDigests(table(), (n) => progress(`… ${n} members`));
    say(
      purged ? `removed the NIR window digests of ${purged} member(s)` : 'no NIR window digests left; nothing changed',
    );
    return 0;
  },
});

export const rotateSigningKeyCommand = defineCommand({
  name: 'rotate-signing-key',
  summary: 'a new token signing key (the first one on a new stage); the previous one stays published',
  usage: '[--force]',
  details:
    'In AWS (KEYS_SOURCE=aws): creates a KMS key (ECC_NIST_P256) that only the roles of TOKEN_SIGNER_ROLE_ARNS (stack ' +
    'output TokenSignerRoleArns) may sign with, moves the current key under the "previous" alias (still published) and ' +
    'the new one under the current alias, and schedules the key that drops out for deletion (30 days). Refused within ' +
    '20 minutes of the last rotation (its tokens could still need the key it would unpublish), unless --force. ' +
    'Locally: a new key file. Functions sign with the new key within 5 minutes. Prints key ids only.',
  options: { force: { type: 'boolean' } },
  async run({ values }) {
    const keys = config().keys;
    if (keys.source === 'local') {
      const rotation = await rotateSigningKey(new LocalSigningKeyFiles(keys.dir));
      say(
        `signing key rotated: tokens are signed with key ${rotation.kid} once functions re-read it (within 5 minutes); ` +
          `still published to verify earlier tokens: ${rotation.stillPublished.join(', ') || 'none'}`,
      );
      return 0;
    }
    const signerRoleArns = (process.env['TOKEN_SIGNER_ROLE_ARNS'] ?? '').split(',').filter(Boolean);
    try {
      const rotation = await rotateKmsSigningKey(
        new KMSClient({ region: config().region, ...AWS_CLIENT_LIMITS }),
        keys.tokenSigningKeyAliases,
        {
          signerRoleArns,
          description: `member-portal-auth: signs access tokens (${keys.tokenSigningKeyAliases.current})`,
          now: Date.now(),
          force: values.force === true,
        },
      );
      say(
        `signing key rotated: tokens are signed with key ${rotation.kid} (KMS key ${rotation.keyId}) once functions ` +
          `re-read it (within 5 minutes); the key it replaced stays published under ${keys.tokenSigningKeyAliases.previous}` +
          (rotation.retired
            ? `; key ${rotation.retired} is no longer published and is scheduled for deletion in 30 days`
            : ''),
      );
      return 0;
    } catch (error) {
      if (error instanceof RotationTooSoonError) throw new OperatorFailure(error.message);
      throw error;
    }
  },
});
