import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { StartupError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { SqlClient } from './sql-client.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));
const MIGRATIONS_TABLE = 'strata_migrations';

function knownMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''))
    .sort();
}

/**
 * A database migrated by a newer Strata has migrations this code does not know. Running against it
 * could corrupt data, so the start stops with a message that says what to do.
 */
async function refuseNewerDatabase(sql: SqlClient, schema: string): Promise<void> {
  const exists = await sql.query<{ found: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL AS found`,
    [`${schema}.${MIGRATIONS_TABLE}`],
  );
  if (!exists.rows[0]?.found) return;
  const applied = await sql.query<{ name: string }>(`SELECT name FROM "${schema}".${MIGRATIONS_TABLE} ORDER BY run_on, id`);
  const known = new Set(knownMigrations());
  const unknown = applied.rows.map((r) => r.name).filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new StartupError(
      `The database was migrated by a newer Strata (migration ${unknown.join(', ')} is unknown to this version). ` +
        'Run the newer version, or restore a backup taken before it migrated.',
    );
  }
}

/** A stable 31-bit advisory-lock id for a schema name. */
function schemaLockId(schema: string): number {
  let hash = 7;
  for (const ch of schema) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return Math.abs(hash % 2_000_000_000) + 1;
}

/** Applies pending migrations (idempotent: a migrated database is left as it is). */
export async function migrate(sql: SqlClient, schema: string, logger: Logger): Promise<string[]> {
  await refuseNewerDatabase(sql, schema);
  const { client, release } = await sql.migrationClient();
  try {
    const ran = await runner({
      dbClient: client as never,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: MIGRATIONS_TABLE,
      schema,
      createSchema: true,
      checkOrder: true,
      singleTransaction: true,
      // Two gateways starting together on one schema: the second waits for the first instead of
      // failing. The lock is per schema, so migrations of different schemas never wait on each other.
      advisoryLockMode: 'wait',
      lockValue: schemaLockId(schema),
      log: (msg: string) => logger.debug({ migration: true }, msg),
    });
    if (ran.length > 0) logger.info({ migrations: ran.map((m) => m.name) }, 'applied database migrations');
    return ran.map((m) => m.name);
  } finally {
    release();
  }
}
