import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { StartupError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { createNodePgClient, type NodePgOptions } from './node-pg.ts';
import { createPgliteClient } from './pglite.ts';
import type { SqlClient } from './sql-client.ts';

export { createPostgresEvaluationStore } from './evaluation-store.ts';
export { migrate } from './migrate.ts';
export type { SqlClient } from './sql-client.ts';

export function connectPostgres(options: NodePgOptions): SqlClient {
  return createNodePgClient(options);
}

/**
 * Opens the embedded database under `dataDir`, after taking an exclusive lock on the directory:
 * PGlite is single-process, and two processes on one directory would silently lose writes.
 * Returns the client and the function that releases the lock.
 */
export async function openEmbedded(dataDir: string | null, logger: Logger): Promise<{ sql: SqlClient; unlock: () => Promise<void> }> {
  if (dataDir === null) return { sql: await createPgliteClient(null), unlock: async () => {} };
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new StartupError(`Cannot create DATA_DIR ${dir}: ${(cause as Error).message}. Set DATA_DIR to a writable directory.`, { cause });
  }
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(dir, {
      lockfilePath: join(dir, 'strata.lock'),
      stale: 10_000,
      update: 2_000,
      retries: 0,
      onCompromised: (err) => logger.error({ err }, 'lost the lock on DATA_DIR; another process may be using it'),
    });
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ELOCKED') {
      throw new StartupError(
        `DATA_DIR ${dir} is in use by another Strata process. The embedded database is single-process; ` +
          'stop the other process, choose another DATA_DIR, or set DATABASE_URL so several processes share a PostgreSQL server.',
        { cause },
      );
    }
    throw cause;
  }
  try {
    return { sql: await createPgliteClient(join(dir, 'pglite')), unlock };
  } catch (cause) {
    await unlock();
    throw new StartupError(`Cannot open the embedded database in ${join(dir, 'pglite')}: ${(cause as Error).message}`, { cause });
  }
}
