import { PGlite } from '@electric-sql/pglite';
import type { Queryable, SqlClient } from './sql-client.ts';

/**
 * The embedded PostgreSQL (PGlite, WebAssembly). `dataDir` null keeps everything in memory.
 * PGlite is one connection in this process: it serialises queries itself, and a transaction holds
 * it until commit.
 */
export async function createPgliteClient(dataDir: string | null): Promise<SqlClient> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const stats = { statements: 0 };
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    async query(text, params) {
      stats.statements++;
      const result = await q.query(text, params as unknown[] | undefined);
      return { rows: result.rows as never[], rowCount: result.affectedRows ?? result.rows.length };
    },
  });
  const root = wrap(db);
  return {
    kind: 'pglite',
    stats,
    query: root.query,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async migrationClient() {
      const client = {
        async query(text: string, values?: unknown[]) {
          if (values && values.length > 0) return db.query(text, values);
          const results = await db.exec(text);
          return results.at(-1) ?? { rows: [], fields: [], affectedRows: 0 };
        },
      };
      return { client, release: () => {} };
    },
    close: () => db.close(),
  };
}
