import { createPostgresGraphStore } from '../../src/backends/postgres/graph-store.ts';
import { migrate } from '../../src/backends/postgres/index.ts';
import { createPgliteClient } from '../../src/backends/postgres/pglite.ts';
import { silentLogger } from '../support/app.ts';
import { graphStoreContract } from '../contract/graph-store.ts';

graphStoreContract('pglite (in memory)', async () => {
  const sql = await createPgliteClient(null);
  await migrate(sql, 'public', silentLogger);
  return { store: createPostgresGraphStore(sql), close: () => sql.close() };
});
