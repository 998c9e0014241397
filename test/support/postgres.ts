import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serviceUnavailable } from './service.ts';

/**
 * The real PostgreSQL the tests run against: TEST_DATABASE_URL, or this machine's server.
 * Each test file gets its own schema, so parallel files and repeated runs never collide.
 */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** Null when PostgreSQL answers, else the skip reason (a failure under CI=true). */
export async function postgresUnavailable(): Promise<string | null> {
  return serviceUnavailable('PostgreSQL', TEST_DATABASE_URL, 'TEST_DATABASE_URL', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => {});
    }
  });
}

export interface TestSchema {
  name: string;
  drop(): Promise<void>;
}

export async function createTestSchema(): Promise<TestSchema> {
  const name = `strata_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${name}`);
  await client.end();
  return {
    name,
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await c.end();
    },
  };
}
