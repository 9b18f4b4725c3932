import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { resolveIntrinsics } from '../support/aws-rules/template-policies.ts';
import { PRODUCTION_LIKE, STAGE, synth } from './synth.ts';

/**
 * CloudFormation's, Lambda's and IAM's limits, which no local engine enforces: a stack over them
 * synthesises, passes every local test, and fails to create in AWS (or rolls back half-way).
 */

/** The example stage of cdk.json, as `npx cdk synth` synthesises it. */
const EXAMPLE = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: { stages: { example: Record<string, unknown> } };
  }
).context.stages.example;

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

const stages: Array<[string, Template]> = [];
beforeAll(() => {
  // Every key of STAGE given, so that the example stage is synthesised exactly as written.
  const asWritten = Object.fromEntries(Object.keys(STAGE).map((key) => [key, undefined]));
  stages.push(['example', synth('example', { ...asWritten, ...EXAMPLE }).template]);
  stages.push(['production-like', synth('production', PRODUCTION_LIKE).template]);
}, 120_000);

const resourcesOf = (template: Template) => template.toJSON()['Resources'] as Resources;

/** An unresolved value counted at the longest it can be once deployed (an ARN, a generated name). */
const WORST_CASE_TOKEN = 'x'.repeat(128);
const worstCaseText = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : WORST_CASE_TOKEN;

describe('AWS limits of the synthesised stacks (example stage and a production-like stage)', () => {
  it('a stage that sets `account` synthesises: cdk-nag’s finding on the CDK asset bucket names the account as a number there', () => {
    expect(() => synth('account', { account: '123456789012', portal: true })).not.toThrow();
  });

  it('the stack stays under 450 of CloudFormation’s 500 resources', () => {
    for (const [name, template] of stages) {
      const count = Object.keys(resourcesOf(template)).length;
      expect({ name, underLimit: count <= 450, count }).toEqual({ name, underLimit: true, count });
    }
  });

  it('no function’s resource-based policy can pass 16 KB (Lambda refuses past 20 KB: PolicyLengthExceededException)', () => {
    for (const [, template] of stages) {
      const resources = resourcesOf(template);
      const sizes = new Map<string, number>();
      for (const permission of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Permission')) {
        const properties = permission.Properties!;
        const target = JSON.stringify(properties['FunctionName']);
        // As Lambda stores it, with a function name and a statement id at their longest.
        const statement = {
          Sid: 's'.repeat(100),
          Effect: 'Allow',
          Principal: { Service: properties['Principal'] },
          Action: properties['Action'],
          Resource: `arn:aws:lambda:eu-west-3:123456789012:function:${'f'.repeat(64)}`,
          Condition: { ArnLike: { 'AWS:SourceArn': resolveIntrinsics(properties['SourceArn'], resources) } },
        };
        sizes.set(target, (sizes.get(target) ?? 0) + JSON.stringify(statement).length + 1);
      }
      const largest = Math.max(...sizes.values());
      expect(largest).toBeLessThanOrEqual(16 * 1024);
    }
  });

  it('every function’s environment stays under Lambda’s 4 KB, each unresolved value counted at 128 characters', () => {
    for (const [, template] of stages) {
      for (const [id, resource] of Object.entries(resourcesOf(template))) {
        if (resource.Type !== 'AWS::Lambda::Function') continue;
        const variables = (resource.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables;
        const size = Object.entries(variables ?? {}).reduce(
          (total, [key, value]) => total + key.length + worstCaseText(value).length,
          0,
        );
        expect({ id, size: size <= 4096 }).toEqual({ id, size: true });
      }
    }
  });

  it('names set in the template fit their service’s limits', () => {
    const limits: Record<string, Record<string, number>> = {
      'AWS::Lambda::Function': { FunctionName: 64 },
      'AWS::IAM::Role': { RoleName: 64 },
      'AWS::ApiGateway::RestApi': { Name: 1024 },
      'AWS::CloudWatch::Alarm': { AlarmName: 255 },
      'AWS::SNS::Topic': { TopicName: 256 },
      'AWS::SQS::Queue': { QueueName: 80 },
      'AWS::S3::Bucket': { BucketName: 63 },
      'AWS::Logs::LogGroup': { LogGroupName: 512 },
      'AWS::SES::ConfigurationSet': { Name: 64 },
      'AWS::WAFv2::WebACL': { Name: 128 },
      'AWS::Events::Rule': { Name: 64 },
      'AWS::KMS::Alias': { AliasName: 256 },
    };
    for (const [, template] of stages) {
      for (const [id, resource] of Object.entries(resourcesOf(template))) {
        for (const [property, limit] of Object.entries(limits[resource.Type] ?? {})) {
          const value = resource.Properties?.[property];
          if (value === undefined) continue;
          expect({ id, property, fits: worstCaseText(value).length <= limit }).toEqual({ id, property, fits: true });
        }
      }
    }
  });

  it('cfn-lint finds no error in either template (the checks CloudFormation itself would make on create)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpa-cfn-lint-'));
    const files = stages.map(([name, template]) => {
      const file = join(dir, `${name}.template.json`);
      writeFileSync(file, JSON.stringify(template.toJSON()));
      return file;
    });
    let output = '[]';
    try {
      output = execFileSync('cfn-lint', ['--format', 'json', '--regions', 'eu-west-3', '--', ...files], {
        encoding: 'utf8',
      });
    } catch (error) {
      const failure = error as { code?: string; stdout?: string };
      if (failure.code === 'ENOENT')
        throw new Error('cfn-lint is not on the PATH: pip install cfn-lint (README, Tests)');
      // cfn-lint exits non-zero whenever it reports anything; what it reports is judged below.
      output = failure.stdout ?? '[]';
    }
    const errors = (
      JSON.parse(output) as Array<{ Level: string; Rule: { Id: string }; Message: string; Filename: string }>
    )
      .filter((m) => m.Level === 'Error')
      .map((m) => `${m.Filename.replace(`${dir}/`, '')} ${m.Rule.Id}: ${m.Message}`);
    expect(errors).toEqual([]);
  }, 120_000);
});
