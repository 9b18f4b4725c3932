import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { BACKGROUND_FUNCTIONS, type FunctionName, NOT_FOUND_ROUTE, ROUTES } from '../../lambdas/contract/routes.ts';
import type { MemberPortalAuthStack } from '../../lib/member-portal-auth-stack.ts';
import { deniedRequests } from '../support/aws-rules/simulate.ts';
import { stackPolicies } from '../support/aws-rules/template-policies.ts';
import {
  actionsOf,
  actionsOfStatement,
  functionOf,
  logicalIdOf,
  type Statement,
  statementsOf,
  synth,
} from './synth.ts';

let stack: MemberPortalAuthStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synth('privilege', {
    operatorRoleArn: 'arn:aws:iam::123456789012:role/member-portal-operators',
  }));
});

const ALL: FunctionName[] = [
  ...ROUTES.map((r) => r.name),
  NOT_FOUND_ROUTE.name,
  ...(Object.keys(BACKGROUND_FUNCTIONS) as FunctionName[]),
];
const dynamoStatements = (name: FunctionName) =>
  statementsOf(stack, template, name).filter((s) => actionsOfStatement(s).some((a) => a.startsWith('dynamodb:')));
const leadingKeys = (s: Statement) =>
  (s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | undefined) ?? [];

/** An UpdateItem on a member's item, as a function's adapter (or a compromised function) would send it. */
const memberUpdate = (updateExpression: string) => ({
  client: 'DynamoDBDocumentClient',
  command: 'UpdateCommand',
  input: {
    TableName: 'members',
    Key: { pk: 'MEMBER#k', sk: 'MEMBER' },
    UpdateExpression: updateExpression,
    ExpressionAttributeValues: { ':v': 'x' },
  },
});

describe('what a function may change on a member (issue 19, N8)', () => {
  it('N8: a compromised passkey-register-options cannot rewrite a member’s code hash or email: each function updates only the member attributes it owns', async () => {
    const policies = stackPolicies(stack, template);
    const denied = async (fn: FunctionName, expression: string) =>
      (await deniedRequests(policies, fn, memberUpdate(expression))).length > 0;
    // What it owns: the WebAuthn user handle.
    expect(await denied('passkey-register-options', 'SET passkeyUserId = if_not_exists(passkeyUserId, :v)')).toBe(
      false,
    );
    for (const attack of [
      'SET personalCodeHash = :v',
      'SET email = :v',
      'REMOVE deactivatedAt',
      'SET codeVersion = :v',
    ]) {
      expect({ attack, denied: await denied('passkey-register-options', attack) }).toEqual({ attack, denied: true });
    }
    // Only the functions that change a code may write the code hash.
    const mayWriteTheHash = [];
    for (const name of ALL) if (!(await denied(name, 'SET personalCodeHash = :v'))) mayWriteTheHash.push(name);
    expect(mayWriteTheHash.sort()).toEqual(['code-change', 'code-reset', 'login', 'me-code']);
    // And no function may change the email but the insurer's own import (the membership feed's worker).
    for (const name of ALL)
      expect({ name, email: await denied(name, 'SET email = :v') }).toEqual({
        name,
        email: name !== 'member-feed-batch',
      });
  });
});

describe('each function holds only what it needs (security review of the deployed stack, item 3)', () => {
  it('only the functions that issue tokens may sign with the token key (kms:Sign): login, device-verify, passkey-authenticate, terms-accept, session-refresh', () => {
    const signers = ALL.filter((name) => actionsOf(stack, template, name).includes('kms:Sign'));
    expect(signers.sort()).toEqual([
      'device-verify',
      'login',
      'passkey-authenticate',
      'session-refresh',
      'terms-accept',
    ]);
    // And the stack names exactly their roles for the key policy the CLI writes at each rotation.
    const output = JSON.stringify(template.toJSON()['Outputs']['TokenSignerRoleArns']);
    for (const name of ALL) {
      const role = stack.getLogicalId(functionOf(stack, name).role!.node.defaultChild as never);
      expect({ name, named: output.includes(`"${role}"`) }).toEqual({ name, named: signers.includes(name) });
    }
  });

  it('the functions that only verify tokens read the public keys only, and only of the stage’s token keys', () => {
    for (const name of ['me', 'jwks'] as const) {
      // The statements on the token keys (any key under the stage's aliases); `me` also decrypts the table's data key.
      const kms = statementsOf(stack, template, name).filter((s) => JSON.stringify(s.Resource).includes(':key/*'));
      expect(kms.flatMap(actionsOfStatement)).toEqual(['kms:GetPublicKey']);
      expect(
        statementsOf(stack, template, name)
          .flatMap(actionsOfStatement)
          .filter((a) => a.startsWith('kms:Sign')),
      ).toEqual([]);
      expect(kms[0]!.Condition).toEqual({
        'ForAnyValue:StringEquals': {
          'kms:ResourceAliases': [
            'alias/member-portal-auth/privilege/token-signing',
            'alias/member-portal-auth/privilege/token-signing-previous',
          ],
        },
      });
    }
    // Sign-out touches no token key at all (it ends the session by its refresh token).
    expect(
      statementsOf(stack, template, 'session-logout').some((s) => JSON.stringify(s.Resource).includes(':key/*')),
    ).toBe(false);
  });

  it('no function may Scan, nor use a wildcard DynamoDB action', () => {
    for (const name of ALL) {
      const actions = actionsOf(stack, template, name).filter((a) => a.startsWith('dynamodb:'));
      expect({ name, scan: actions.filter((a) => a === 'dynamodb:Scan' || a.includes('*')) }).toEqual({
        name,
        scan: [],
      });
    }
  });

  it('the read paths write nothing: me, terms-current, jwks', () => {
    for (const name of ['me', 'terms-current', 'jwks'] as const) {
      const writes = actionsOf(stack, template, name).filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a));
      expect({ name, writes }).toEqual({ name, writes: [] });
    }
  });

  it('every DynamoDB statement is limited to the partitions its function touches (dynamodb:LeadingKeys)', () => {
    for (const name of ALL) {
      for (const statement of dynamoStatements(name))
        expect({ name, keys: leadingKeys(statement).length > 0 }).toEqual({ name, keys: true });
    }
    // session-logout cannot touch audit trails or lockout counters, even by a bug.
    const logout = dynamoStatements('session-logout');
    expect([...new Set(logout.flatMap(leadingKeys))].sort()).toEqual(['AUDIT#*', 'SESSION#*']);
    expect(logout.find((s) => leadingKeys(s).includes('AUDIT#*'))!.Action).toBe('dynamodb:PutItem');
  });

  it('the audit trail is append-only: no function may update or delete an audit entry', () => {
    for (const name of ALL) {
      for (const statement of dynamoStatements(name)) {
        if (!leadingKeys(statement).includes('AUDIT#*')) continue;
        expect({ name, actions: actionsOfStatement(statement) }).toEqual({ name, actions: ['dynamodb:PutItem'] });
      }
    }
  });

  it('the HMAC keys let the named function roles compute MACs, and no other principal of the account', () => {
    for (const [keyName, users] of [
      ['NirLookupKey', ['login', 'code-change', 'code-forgot', 'code-reset', 'member-feed-batch']],
      [
        'CodePepperKey',
        [
          'login',
          'code-change',
          'code-reset',
          'device-verify',
          'device-resend',
          'letters-export',
          'me-code',
          'member-feed-batch',
        ],
      ],
      ['RefreshTokenKey', ['session-refresh']],
      ['LetterCodeKey', ['letters-export']],
    ] as const) {
      const key = stack.keys.node.findChild(keyName);
      const policy = template.toJSON()['Resources'][logicalIdOf(stack, key)]['Properties']['KeyPolicy'] as {
        Statement: Statement[];
      };
      const macStatements = policy.Statement.filter((s) => actionsOfStatement(s).includes('kms:GenerateMac'));
      const principals = JSON.stringify(macStatements.map((s) => s.Principal));
      for (const name of users) expect(principals).toContain(logicalIdOf(stack, functionOf(stack, name).role!));
      const others = ALL.filter((name) => !(users as readonly string[]).includes(name));
      for (const name of others) expect(principals).not.toContain(logicalIdOf(stack, functionOf(stack, name).role!));
      // The account administers the key; it does not use it.
      const admin = policy.Statement.find((s) => JSON.stringify(s.Principal).includes(':root'))!;
      expect(actionsOfStatement(admin).some((a) => a === 'kms:*' || a.includes('Mac'))).toBe(false);
      if (keyName !== 'RefreshTokenKey') expect(principals).toContain('member-portal-operators');
    }
  });

  it('the letters have a key of their own: the print provider decrypts with it and nothing else of ours', () => {
    const { stack: withProvider, template: t } = synth('printer', {
      printProviderRoleArn: 'arn:aws:iam::210987654321:role/print-provider',
    });
    const lettersKey = logicalIdOf(withProvider, withProvider.letters.key);
    const bucket = Object.values(t.findResources('AWS::S3::Bucket'))[0]!;
    expect(JSON.stringify(bucket['Properties']['BucketEncryption'])).toContain(lettersKey);
    const keyPolicies = Object.entries(t.findResources('AWS::KMS::Key')).filter(([, k]) =>
      JSON.stringify(k).includes('print-provider'),
    );
    expect(keyPolicies.map(([id]) => id)).toEqual([lettersKey]);
  });
});
