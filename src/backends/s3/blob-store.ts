import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { checkBlobKey, checkBlobPrefix } from '../../domain/blob-keys.ts';
import { BackendError } from '../../errors.ts';
import { BlobNotFoundError, type BlobStore } from '../blob-types.ts';

export interface S3BlobOptions {
  bucket: string;
  /** An S3-compatible endpoint (MinIO, an emulator); unset for AWS itself. */
  endpoint: string | null;
  /** @default 'us-east-1' */
  region: string;
  /** Both or neither; neither means the SDK's default chain (AWS_* variables, profiles, instance roles). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** Path-style URLs (http://host/bucket/key), which most S3-compatible servers need. @default true with an endpoint */
  forcePathStyle: boolean;
  /** Multipart part size: an upload holds at most `partSize * 2` bytes in memory. @default 8 MiB */
  partSize?: number;
}

const notFound = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/** Blobs as objects in one bucket, under the same keys as the file layout. */
export function createS3BlobStore(options: S3BlobOptions): BlobStore {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle,
    // Checksums only where S3 requires them: S3-compatible servers do not all speak the newer
    // flexible-checksum trailers, and the gateway keeps its own sha256 of every text.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const fail = (what: string, cause: unknown) => new BackendError('s3', `${what} in bucket ${Bucket}: ${String(cause)}`, { cause });

  return {
    kind: 's3',
    location: 'S3',

    async put(key, body, meta) {
      checkBlobKey(key);
      let size = 0;
      let bodyError: unknown = null;
      const counted = Readable.from((async function* () {
        try {
          for await (const chunk of body) {
            size += chunk.byteLength;
            yield chunk;
          }
        } catch (err) {
          bodyError = err;
          throw err;
        }
      })());
      // A multipart upload becomes visible only when completed; on a failing body lib-storage
      // aborts it, so nothing is left under the key.
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: counted, ContentType: 'text/plain; charset=utf-8', Metadata: { evaluation: meta.evaluationId, which: meta.which } },
        partSize: options.partSize ?? 8 * 1024 * 1024,
        queueSize: 2,
      });
      try {
        await upload.done();
      } catch (err) {
        // The body's own failure is the cause worth reporting, not a failed abort that followed it.
        throw bodyError ?? fail(`writing ${key}`, err);
      }
      return { size };
    },

    async read(key, range) {
      checkBlobKey(key);
      if (range && range.end <= range.start) return Readable.from([]);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {}) }));
        return res.Body as Readable;
      } catch (err) {
        if (notFound(err)) throw new BlobNotFoundError('s3', key, { cause: err });
        // A range starting past the end: S3 answers 416; the contract says "no bytes".
        if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416) return Readable.from([]);
        throw fail(`reading ${key}`, err);
      }
    },

    async stat(key) {
      checkBlobKey(key);
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { key, size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
      } catch (err) {
        if (notFound(err)) return null;
        throw fail(`reading ${key}`, err);
      }
    },

    async delete(key) {
      const existed = (await this.stat(key)) !== null;
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
      return existed;
    },

    async *list(prefix) {
      checkBlobPrefix(prefix);
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) yield { key: o.Key!, size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) };
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },

    async status() {
      const started = performance.now();
      const base = { name: 's3', kind: 's3', role: 'blobs' };
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
        const latencyMs = performance.now() - started;
        let objects = 0;
        let bytes = 0;
        for await (const o of this.list('evaluations/')) {
          objects++;
          bytes += o.size;
        }
        return { ...base, required: true, healthy: true, latencyMs, metrics: { bucket: Bucket, objects, bytes } };
      } catch (err) {
        return { ...base, required: true, healthy: false, latencyMs: null, metrics: { bucket: Bucket }, error: String(err) };
      }
    },

    close: async () => client.destroy(),
  };
}
