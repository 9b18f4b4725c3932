import { describe, it } from '@jest/globals';
import { BACKGROUND_FUNCTIONS, type FunctionName, NOT_FOUND_ROUTE, ROUTES } from '../../lambdas/contract/routes.ts';
import { expectGeneratedBlock } from '../support/generated-docs.ts';
import { actionsOfStatement, logicalIdOf, statementsOf, synth } from './synth.ts';

/**
 * Which function may use which key, read from the synthesised template — not from the routes table
 * nor from prose: the security model's table is this, and fails the build when it says otherwise
 * (issue 19, N10: the docs said four functions read the signing key, the template gave five).
 */
function keyHolders(): string {
  const { stack, template } = synth('docs');
  const functions: FunctionName[] = [
    ...ROUTES.map((r) => r.name),
    NOT_FOUND_ROUTE.name,
    ...(Object.keys(BACKGROUND_FUNCTIONS) as FunctionName[]),
  ];
  const { keys } = stack;
  const macKeys = [
    ['NIR lookup key (`HMAC(key, NIR)`)', keys.nirLookup],
    ['code pepper (`HMAC(pepper, code)`, device codes)', keys.codePepper],
    ['refresh-token key (successor derivation)', keys.refreshToken],
    ['letter-code key (temporary codes)', keys.letterCode],
    ['passkey-challenge key (anonymous sign-in challenges)', keys.passkeyChallenge],
  ] as const;
  const holders = (holds: (name: FunctionName) => boolean) =>
    functions
      .filter(holds)
      .sort()
      .map((f) => `\`${f}\``);
  const rows = [
    [
      'token signing key (`kms:Sign`, ES256)',
      holders((name) => statementsOf(stack, template, name).some((s) => actionsOfStatement(s).includes('kms:Sign'))),
    ],
    ...macKeys.map(([label, key]) => {
      const id = logicalIdOf(stack, key as never);
      return [
        label,
        holders((name) =>
          statementsOf(stack, template, name).some(
            (s) => actionsOfStatement(s).includes('kms:GenerateMac') && JSON.stringify(s.Resource).includes(`"${id}"`),
          ),
        ),
      ] as const;
    }),
  ];
  return [
    '| key | the functions whose role may use it |',
    '| --- | --- |',
    ...rows.map(([label, names]) => `| ${label} | ${names.length} — ${[...names].join(', ')} |`),
  ].join('\n');
}

describe('docs/security-model.md, from the template', () => {
  it('N10: the table of who holds which key is the synthesised template’s, not a count written by hand', () => {
    expectGeneratedBlock(
      'docs/security-model.md',
      'key holders',
      'test/infra/docs-from-template.test.ts',
      keyHolders(),
    );
  });
});
