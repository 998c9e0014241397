import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SEED_DEFAULTS } from '../src/seed.ts';
import { baseEnv } from './servers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The bench's own schema: seeded through the real `strata migrate` and `strata seed` commands,
 * and reset to exactly the seed before the workloads run, so runs on different days compare.
 */
export interface BenchDatabase {
  /** Migrates and seeds the schema (reseeding from scratch if it holds another seed size). */
  prepare(): Promise<void>;
  /** Deletes every evaluation the seed did not create (W4's, with their events), then vacuums. */
  resetWrites(): Promise<number>;
  /** Server pids of the connections opened with this application_name (PGAPPNAME). */
  backendPids(applicationName: string): Promise<number[]>;
  serverVersion(): Promise<string>;
  close(): Promise<void>;
}

export function openBenchDatabase(url: string, schema: string): BenchDatabase {
  const pool = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}`, application_name: 'strata-bench' });
  pool.on('error', () => {});
  const strataEnv = { ...baseEnv(), DATABASE_URL: url, DATABASE_SCHEMA: schema, LOG_LEVEL: 'warn' };

  const seededRows = async () => {
    const exists = await pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [`${schema}.evaluations`]);
    if (!exists.rows[0]!.found) return 0;
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM evaluations WHERE id LIKE 'eval\\_seed\\_%'`);
    return rows[0]!.n;
  };

  const db: BenchDatabase = {
    async prepare() {
      const found = await seededRows();
      if (found !== 0 && found !== SEED_DEFAULTS.evaluations) {
        console.log(`schema ${schema} holds ${found} seeded evaluations, not ${SEED_DEFAULTS.evaluations}: dropping it to seed again`);
        await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      }
      await strata(['migrate'], strataEnv).catch(async (err: Error) => {
        // E.g. a migration that was renamed or dropped in the working tree after it ran here.
        // The schema holds nothing but the seed, so starting over is always safe.
        console.log(`${err.message}: dropping schema ${schema} and migrating from scratch`);
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await strata(['migrate'], strataEnv);
      });
      await strata(['seed'], strataEnv); // idempotent: a seeded schema costs well under a second
      const removed = await db.resetWrites();
      if (removed > 0) console.log(`removed ${removed} evaluations left by earlier write workloads`);
      const seeded = await seededRows();
      if (seeded !== SEED_DEFAULTS.evaluations) throw new Error(`expected ${SEED_DEFAULTS.evaluations} seeded evaluations, found ${seeded}`);
    },
    async resetWrites() {
      const { rowCount } = await pool.query(`DELETE FROM evaluations WHERE id NOT LIKE 'eval\\_seed\\_%'`);
      // Dead rows would make later scans (W3 reads the whole table) slower than the first run's.
      await pool.query('VACUUM ANALYZE evaluations, evaluation_events, evaluation_metrics');
      return rowCount ?? 0;
    },
    async backendPids(applicationName) {
      const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      return rows.map((r) => r.pid);
    },
    async serverVersion() {
      const { rows } = await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
      return rows[0]!.v;
    },
    close: () => pool.end(),
  };
  return db;
}

/** Runs `node bin/strata.js <args>` with the bench's database, showing its progress output. */
async function strata(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  console.log(`$ strata ${args.join(' ')}`);
  const child = spawn(process.execPath, ['bin/strata.js', ...args], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`strata ${args.join(' ')} exited with code ${code}`);
}
