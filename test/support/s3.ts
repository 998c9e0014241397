import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * A local S3-compatible EMULATOR (the s3rver package), started by the test on a free loopback
 * port with its own directory. It speaks the S3 REST API the AWS SDK uses (including multipart
 * uploads and range reads) but it is not AWS: it says nothing about AWS's consistency, limits or
 * IAM. Tests print that, so nobody reads a green run as "tested against AWS".
 */
export interface S3Emulator {
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

export async function startS3Emulator(bucket = 'strata-test'): Promise<S3Emulator> {
  const directory = mkdtempSync(join(tmpdir(), 'strata-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  console.log(`# S3 tests run against s3rver, a local S3 EMULATOR at ${endpoint} (not AWS)`);
  return {
    endpoint,
    bucket,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
