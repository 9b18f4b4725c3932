import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { adoptedKeyPolicies } from '../../lambdas/ops/adopted-keys.ts';
import { outcomeOf } from '../support/aws-rules/simulate.ts';
import { resolveIntrinsics, stackPolicies } from '../support/aws-rules/template-policies.ts';
import { synth } from './synth.ts';

/**
 * A stack deleted with its data retained (or a region lost, its table restored and its keys
 * replicated elsewhere): a new stack must use that table and those keys — members' lookup keys and
 * code hashes were made with them — and give the new functions the right to use them.
 */
const ADOPTED = {
  tableName: 'member-portal-auth-prod-DataTable-1A2B3C4D',
  keys: {
    nirLookup: 'arn:aws:kms:eu-west-3:123456789012:key/11111111-1111-1111-1111-111111111111',
    codePepper: 'arn:aws:kms:eu-west-3:123456789012:key/22222222-2222-2222-2222-222222222222',
    refreshToken: 'arn:aws:kms:eu-west-3:123456789012:key/33333333-3333-3333-3333-333333333333',
    letterCode: 'arn:aws:kms:eu-west-3:123456789012:key/44444444-4444-4444-4444-444444444444',
    data: 'arn:aws:kms:eu-west-3:123456789012:key/55555555-5555-5555-5555-555555555555',
  },
};

describe('adopting what a former stack retained: the table and its keys', () => {
  const { stack, template } = synth('adopted', {
    adopt: ADOPTED,
    operatorRoleArn: 'arn:aws:iam::123456789012:role/member-portal-operators',
  });

  it('creates no table and none of the retained HMAC or data keys, and points the functions at the adopted ones', () => {
    expect(Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))).toHaveLength(0);
    // Only the passkey-challenge key, which protects 5-minute challenges: never retained, never adopted.
    const created = Object.values(template.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'HMAC_256' } }));
    expect(created.map((k) => k['Properties']['Description'])).toEqual([
      'HMAC key: MACs the anonymous passkey sign-in challenges (5 minutes)',
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: ADOPTED.tableName,
          NIR_LOOKUP_KMS_KEY_ID: ADOPTED.keys.nirLookup,
          CODE_PEPPER_KMS_KEY_ID: ADOPTED.keys.codePepper,
        }),
      },
    });
  });

  it('the functions’ roles name the adopted table and keys: login may read a member there and compute its MACs', async () => {
    const policies = stackPolicies(stack, template);
    const login = policies.functions['login']!;
    const allowed = async (action: string, resource: string, context: Record<string, string[]> = {}) =>
      outcomeOf({
        identityPolicies: [{ name: 'login', policy: { Version: '2012-10-17', Statement: login.statements as never } }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          action,
          principal: login.roleArn,
          resource: { accountId: '123456789012', resource },
          contextVariables: context,
        },
      });
    expect(
      await allowed('dynamodb:GetItem', `arn:aws:dynamodb:eu-west-3:123456789012:table/${ADOPTED.tableName}`, {
        'dynamodb:LeadingKeys': ['MEMBER#abc'],
      }),
    ).toBe('Allowed');
    // KMS also needs the key's own policy to allow it: without adopt-keys, the retained policy names roles that are gone.
    expect(await allowed('kms:GenerateMac', ADOPTED.keys.nirLookup)).toBe('ImplicitlyDenied');
    const macResources = login.statements
      .filter((st) => st.Action === 'kms:GenerateMac')
      .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]));
    expect(macResources).toEqual(expect.arrayContaining([ADOPTED.keys.nirLookup, ADOPTED.keys.codePepper]));
  });

  it('a retained key’s policy names roles that are gone: adopt-keys writes one naming this stack’s roles, which then may compute MACs — and no one else', async () => {
    const resources = template.toJSON()['Resources'];
    const outputs = Object.fromEntries(
      Object.entries(template.toJSON()['Outputs'] as Record<string, { Value: unknown }>).map(([name, o]) => [
        name,
        String(resolveIntrinsics(o.Value, resources)),
      ]),
    );
    const changes = adoptedKeyPolicies(outputs);
    expect(changes.map((c) => [c.key, c.keyArn])).toEqual([
      ['nir-lookup', ADOPTED.keys.nirLookup],
      ['code-pepper', ADOPTED.keys.codePepper],
      ['refresh-token', ADOPTED.keys.refreshToken],
      ['letter-code', ADOPTED.keys.letterCode],
    ]);
    const policies = stackPolicies(stack, template);
    const nir = changes.find((c) => c.key === 'nir-lookup')!;
    expect(nir.macUsers).toEqual(
      expect.arrayContaining([
        policies.functions['login']!.roleArn,
        'arn:aws:iam::123456789012:role/member-portal-operators',
      ]),
    );
    expect(nir.macUsers).not.toContain(policies.functions['me']!.roleArn);
    // KMS: the caller's identity policy and the key's policy, as adopt-keys writes it.
    const withKeyPolicy = async (principal: string, statements: unknown[] = []) =>
      outcomeOf({
        identityPolicies: [{ name: 'role', policy: { Version: '2012-10-17', Statement: statements as never } }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: nir.policy as never,
        request: {
          action: 'kms:GenerateMac',
          principal,
          resource: { accountId: '123456789012', resource: nir.keyArn },
          contextVariables: {},
        },
      });
    const login = policies.functions['login']!;
    const me = policies.functions['me']!;
    expect(await withKeyPolicy(login.roleArn, login.statements)).toBe('Allowed');
    expect(await withKeyPolicy(me.roleArn, me.statements)).not.toBe('Allowed');
    const admin = [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }];
    expect(await withKeyPolicy('arn:aws:iam::123456789012:role/Admin', admin)).not.toBe('Allowed');
  });
  it('a table is not adopted without its keys: its lookup keys and code hashes need them', () => {
    expect(() => synth('tableonly', { adopt: { tableName: ADOPTED.tableName } })).toThrow(
      /adopt\.keys: a table is adopted with the keys/,
    );
  });
});
