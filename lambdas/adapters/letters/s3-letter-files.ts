import { HeadObjectCommand, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LetterFiles } from '../../domain/letters.ts';

/** Export files in the letters bucket (SSE-KMS); a PutObject is all-or-nothing. */
export class S3LetterFiles implements LetterFiles {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(s3: S3Client, bucket: string, prefix = 'exports/') {
    this.#s3 = s3;
    this.#bucket = bucket;
    this.#prefix = prefix;
  }

  async exists(name: string): Promise<boolean> {
    try {
      await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: `${this.#prefix}${name}` }));
      return true;
    } catch (error) {
      if (error instanceof NotFound) return false;
      throw error;
    }
  }

  async write(name: string, content: string): Promise<string> {
    const key = `${this.#prefix}${name}`;
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: content,
        ContentType: 'text/csv; charset=utf-8',
        ServerSideEncryption: 'aws:kms',
      }),
    );
    return `s3://${this.#bucket}/${key}`;
  }
}
