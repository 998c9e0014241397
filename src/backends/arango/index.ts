import { Database } from 'arangojs';
import { StartupError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { GraphStore } from '../graph-types.ts';
import { createArangoGraphStore } from './graph-store.ts';
import { arangoDatabaseOptions, type ArangoConfig } from './options.ts';

export type { ArangoConfig } from './options.ts';

const DUPLICATE_NAME = 1207;

/** Tolerates a concurrent start having created the same thing first. */
async function unlessDuplicate(create: () => Promise<unknown>): Promise<void> {
  await create().catch((err: unknown) => {
    if ((err as { errorNum?: number }).errorNum !== DUPLICATE_NAME) throw err;
  });
}

/**
 * Creates what seed 000 creates when missing: the database, `tasks` and `results` (documents),
 * `relationships` (edges), plus the unique index that makes `link` idempotent.
 */
async function ensureSchema(db: Database, name: string): Promise<void> {
  if (!(await db.exists())) await unlessDuplicate(() => db.database('_system').createDatabase(name));
  for (const collection of ['tasks', 'results']) {
    if (!(await db.collection(collection).exists())) await unlessDuplicate(() => db.createCollection(collection));
  }
  if (!(await db.collection('relationships').exists())) await unlessDuplicate(() => db.createEdgeCollection('relationships'));
  await db.collection('relationships').ensureIndex({ type: 'persistent', name: 'strata_edge_unique', fields: ['_from', '_to', 'type'], unique: true });
}

/**
 * Connects to ArangoDB (several coordinator URLs are used round-robin: options.ts) and prepares the
 * collections. A failure stops the start with a message naming the variables to check.
 */
export async function openArangoGraph(config: ArangoConfig, logger: Logger): Promise<{ store: GraphStore; close: () => Promise<void> }> {
  const db = new Database(arangoDatabaseOptions(config));
  try {
    await ensureSchema(db, config.database);
  } catch (cause) {
    db.close();
    throw new StartupError(
      `Cannot prepare ArangoDB database "${config.database}" at ${config.urls.join(', ')}: ${(cause as Error).message}. ` +
        'Check ARANGO_URL, ARANGO_DATABASE, ARANGO_USERNAME and ARANGO_PASSWORD, or unset GRAPH_BACKEND to keep the graph in PostgreSQL.',
      { cause },
    );
  }
  logger.info({ urls: config.urls, database: config.database }, 'graph store: ArangoDB ready');
  return { store: createArangoGraphStore(db), close: async () => db.close() };
}
