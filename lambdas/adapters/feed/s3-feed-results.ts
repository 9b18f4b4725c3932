import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FeedBatchResult } from '../../domain/feed-batch.ts';
import type { FeedReport, FeedResults } from '../../domain/feed-report.ts';

/**
 * The member-feed bucket: the map's ResultWriter manifest and result files (each a JSON array of the
 * batches' executions, their `Output` the worker's answer), and the reports, written under the
 * feed's own KMS key as `reports/<file name>.json`.
 */
export class S3FeedResults implements FeedResults {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #keyId: string;

  constructor(s3: S3Client, bucket: { readonly bucket: string; readonly keyId: string }) {
    this.#s3 = s3;
    this.#bucket = bucket.bucket;
    this.#keyId = bucket.keyId;
  }

  async read(manifest: { readonly bucket: string; readonly key: string }) {
    const files = (await this.#json(manifest.bucket, manifest.key)) as {
      ResultFiles?: Record<string, ReadonlyArray<{ Key: string }>>;
    };
    const outputs: FeedBatchResult[] = [];
    for (const { Key } of files.ResultFiles?.['SUCCEEDED'] ?? []) {
      const executions = (await this.#json(manifest.bucket, Key)) as ReadonlyArray<{ Output?: unknown }>;
      for (const execution of executions) {
        const output = typeof execution.Output === 'string' ? JSON.parse(execution.Output) : execution.Output;
        outputs.push(output as FeedBatchResult);
      }
    }
    let failedBatches = 0;
    for (const { Key } of files.ResultFiles?.['FAILED'] ?? []) {
      failedBatches += ((await this.#json(manifest.bucket, Key)) as readonly unknown[]).length;
    }
    return { outputs, failedBatches };
  }

  async write(report: FeedReport): Promise<string> {
    const key = `reports/${report.file.split('/').pop()}.json`;
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: JSON.stringify(report, null, 2),
        ContentType: 'application/json',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: this.#keyId,
      }),
    );
    return key;
  }

  async #json(bucket: string, key: string): Promise<unknown> {
    const { Body } = await this.#s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await Body?.transformToString('utf8')) ?? 'null');
  }
}
