import { HeadObjectCommand, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LetterFiles } from '../../domain/letters.ts';

export interface LettersBucket {
  readonly bucket: string;
  /** The letters' own KMS key: the print provider, in another account, decrypts with it (never with aws/s3). */
  readonly keyId: string;
}

/** Export files in the letters bucket (SSE-KMS with the letters key); a PutObject is all-or-nothing. */
export class S3LetterFiles implements LetterFiles {
  readonly #s3: S3Client;
  readonly #bucket: LettersBucket;
  readonly #prefix: string;

  constructor(s3: S3Client, bucket: LettersBucket, prefix = 'exports/') {
    this.#s3 = s3;
    this.#bucket = bucket;
    this.#prefix = prefix;
  }

  /**
   * S3 answers a missing key with 404 only to a caller that may list the bucket (the stack grants
   * it); to one that may not, with 403 — which must not pass for "absent", nor jam every later
   * run: it is thrown, as any other failure, with what to check.
   */
  async exists(name: string): Promise<boolean> {
    try {
      await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket.bucket, Key: `${this.#prefix}${name}` }));
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
        Bucket: this.#bucket.bucket,
        Key: key,
        Body: content,
        ContentType: 'text/csv; charset=utf-8',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: this.#bucket.keyId,
      }),
    );
    return `s3://${this.#bucket.bucket}/${key}`;
  }
}
