import { after } from 'node:test';
import { createPostgresEvaluationStore, migrate } from '../../src/backends/postgres/index.ts';
import { createPostgresLogStore } from '../../src/backends/postgres/log-store.ts';
import { createPgliteClient } from '../../src/backends/postgres/pglite.ts';
import { createPostgresRunningStore } from '../../src/backends/postgres/running-store.ts';
import { silentLogger } from '../support/app.ts';
import { logStoreContract } from '../contract/log-store.ts';
import { runningStoreContract, type RunningHandle } from '../contract/running-store.ts';

// One in-memory PGlite for the file; each test starts from empty tables (the truncate cascades to
// the running and log tables through their foreign keys).
const sql = await createPgliteClient(null);
await migrate(sql, 'public', silentLogger);
after(() => sql.close());

const factory = async (): Promise<RunningHandle> => {
  await sql.query('TRUNCATE evaluations RESTART IDENTITY CASCADE');
  return { evaluations: createPostgresEvaluationStore(sql), running: createPostgresRunningStore(sql), logs: createPostgresLogStore(sql), close: async () => {} };
};

runningStoreContract('pglite (in memory)', factory);
logStoreContract('pglite (in memory)', factory);
