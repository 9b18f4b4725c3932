import { purgeNirWindowDigests } from '../../adapters/dynamo/nir-digest-purge.ts';
import { rotateSigningKey } from '../../domain/signing-keys.ts';
import { signingKeyStore } from '../../runtime/access-tokens.ts';
import { table } from '../../runtime/services.ts';
import { defineCommand } from '../command.ts';
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
  summary: 'a new token signing key; the previous public key stays published',
  usage: '',
  details:
    'Publishes the new public key first, then replaces the secret; functions use it within 5 minutes. Prints key ids only.',
  options: {},
  async run() {
    const rotation = await rotateSigningKey(signingKeyStore());
    say(
      `signing key rotated: tokens are signed with key ${rotation.kid} once functions re-read it (within 5 minutes); ` +
        `still published to verify earlier tokens: ${rotation.stillPublished.join(', ') || 'none'}`,
    );
    return 0;
  },
});
