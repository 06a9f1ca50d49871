import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { OperationError } from '../../context/operation-error.js';

/** An object's text and the ETag that names this version of it. */
export interface StoredObject {
  readonly text: string;
  readonly etag: string;
}

/** Only if the object is still at this ETag, or (`absent`) only if there is none. */
export type PutCondition = { readonly ifMatch: string } | 'absent' | undefined;

/** JSON objects in one bucket, always written encrypted at rest, optionally conditionally. */
export class S3Objects {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly kmsKeyId: string | undefined,
  ) {}

  /** The object's text and ETag, or undefined when it does not exist. */
  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      const text = await (response.Body?.transformToString('utf8') ?? Promise.resolve(''));
      return { text, etag: response.ETag ?? '' };
    } catch (error) {
      if (error instanceof OperationError && error.fields.outcome === 'not_found') return undefined;
      throw error;
    }
  }

  /**
   * Writes the object (`aws:kms` with the configured key, else `AES256`) and returns its new
   * ETag; with a condition, undefined when the condition no longer holds (another writer won).
   */
  async put(key: string, body: string, condition?: PutCondition): Promise<string | undefined> {
    const encryption =
      this.kmsKeyId === undefined
        ? { ServerSideEncryption: 'AES256' as const }
        : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: this.kmsKeyId };
    const conditional =
      condition === undefined
        ? {}
        : condition === 'absent'
          ? { IfNoneMatch: '*' }
          : { IfMatch: condition.ifMatch };
    try {
      const response = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          ...encryption,
          ...conditional,
        }),
      );
      return response.ETag ?? '';
    } catch (error) {
      if (error instanceof OperationError && error.fields.outcome === 'conflict') return undefined;
      throw error;
    }
  }
}

/** The condition for replacing what was read: its ETag, or absence when nothing was. */
export function replacing(etag: string | undefined): PutCondition {
  return etag === undefined ? 'absent' : { ifMatch: etag };
}
