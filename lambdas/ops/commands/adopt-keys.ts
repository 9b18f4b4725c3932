import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { KMSClient } from '@aws-sdk/client-kms';
import { AWS_CLIENT_LIMITS } from '../../adapters/client-limits.ts';
import { stackOutputs } from '../../adapters/deployment/deployed-facts.ts';
import { putKeyPolicy } from '../../adapters/keys/kms-key-policies.ts';
import { config } from '../../runtime/services.ts';
import { adoptedKeyPolicies } from '../adopted-keys.ts';
import { defineCommand, JSON_OPTION, UsageError } from '../command.ts';
import { result, say } from '../output.ts';

export const adoptKeys = defineCommand({
  name: 'adopt-keys',
  summary: 'after a deploy that adopted retained HMAC keys: their policies name this stack’s roles',
  usage: '--stage <name> [--dry-run] [--json]',
  details:
    'A stage deployed with "adopt": {"keys": …} uses keys a former stack retained (or replicas in a recovery region); ' +
    'their policies still name the former roles. Reads the outputs of member-portal-auth-<name> (MacKeyUsers and the ' +
    'key ARNs) and writes each HMAC key’s policy: the account administers it, only the roles named compute MACs. ' +
    '--dry-run prints the roles per key and changes nothing. Needs kms:PutKeyPolicy on the keys.',
  options: { stage: { type: 'string' }, 'dry-run': { type: 'boolean' }, ...JSON_OPTION },
  async run({ values }) {
    if (!values.stage) throw new UsageError('adopt-keys needs --stage <name>');
    const region = config().region;
    const changes = adoptedKeyPolicies(
      await stackOutputs(
        new CloudFormationClient({ region, ...AWS_CLIENT_LIMITS }),
        `member-portal-auth-${values.stage}`,
      ),
    );
    if (!values['dry-run']) {
      const kms = new KMSClient({ region, ...AWS_CLIENT_LIMITS });
      for (const change of changes) await putKeyPolicy(kms, change.keyArn, change.policy);
    }
    result(
      values.json,
      {
        dryRun: values['dry-run'] === true,
        keys: changes.map(({ key, keyArn, macUsers }) => ({ key, keyArn, macUsers })),
      },
      () => {
        for (const c of changes)
          say(
            `${c.key} (${c.keyArn}): MACs by ${c.macUsers.length} role(s)${values['dry-run'] ? ' — not written (--dry-run)' : ''}`,
          );
      },
    );
    return 0;
  },
});
