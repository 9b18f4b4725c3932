import { HeadObjectCommand, NotFound, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { S3LetterFiles } from '../../lambdas/adapters/letters/s3-letter-files.ts';
import { allows, denialsOf } from '../support/aws-rules/mocked-calls.ts';
import { describeDenial } from '../support/aws-rules/simulate.ts';
import { type StackPolicies, stackPolicies } from '../support/aws-rules/template-policies.ts';
import { synth } from './synth.ts';

/**
 * The letter export's S3 calls under S3's own rules, which no local engine has: HeadObject on a
 * missing key is a 404 only for a caller that may list the bucket (a 403 otherwise), and an upload
 * that says `aws:kms` without a key is encrypted under aws/s3. The stand-in below answers as S3
 * does, deciding 404 or 403 from the export function's role in the synthesised template.
 */
let policies: StackPolicies;
let environment: Record<string, string>;
beforeAll(() => {
  const { stack, template } = synth('letters');
  policies = stackPolicies(stack, template);
  environment = policies.functions['letters-export']!.environment;
}, 60_000);

const FN = 'letters-export';

function s3AsAws(existing: Set<string>) {
  const s3 = mockClient(S3Client);
  s3.on(HeadObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
    if (existing.has(input.Key)) return {};
    if (await allows(policies, FN, 'S3Client', 'ListObjectsV2Command', { Bucket: input.Bucket })) {
      throw new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
    }
    throw new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 } });
  });
  s3.on(PutObjectCommand).resolves({});
  return s3;
}

const files = () =>
  new S3LetterFiles(new S3Client({ region: 'eu-west-3' }), {
    bucket: environment['LETTERS_BUCKET']!,
    keyId: environment['LETTERS_KMS_KEY_ID']!,
  });

describe('the letters bucket as S3 answers the export function', () => {
  it('a run interrupted before its upload does not jam every later run: its missing file is absent (404, the role may list the bucket), not a 403', async () => {
    const s3 = s3AsAws(new Set(['exports/letters-2026-12-06.csv']));
    await expect(files().exists('letters-2026-12-07.csv')).resolves.toBe(false);
    await expect(files().exists('letters-2026-12-06.csv')).resolves.toBe(true);
    expect((await denialsOf(policies, FN, 'S3Client', s3.calls())).map(describeDenial)).toEqual([]);
    s3.restore();
  });

  it('an export file is encrypted under the letters key the print provider may use, never aws/s3: the upload names it, and the role may upload under no other', async () => {
    const s3 = s3AsAws(new Set());
    await files().write('letters-2026-12-07.csv', 'nom;adresse\n');
    const [upload] = s3.commandCalls(PutObjectCommand);
    expect(upload?.args[0].input).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: environment['LETTERS_KMS_KEY_ID'],
      Key: 'exports/letters-2026-12-07.csv',
    });
    expect((await denialsOf(policies, FN, 'S3Client', s3.calls())).map(describeDenial)).toEqual([]);
    const { SSEKMSKeyId: _named, ...underAwsS3 } = upload!.args[0].input;
    await expect(allows(policies, FN, 'S3Client', 'PutObjectCommand', { ...underAwsS3 })).resolves.toBe(false);
    s3.restore();
  });
});
