import { StartupError } from '../errors.ts';
import { openArangoGraph } from './arango/index.ts';
import type { GraphStore } from './graph-types.ts';
import { createMemoryGraphStore } from './memory/graph-store.ts';
import { createPostgresGraphStore } from './postgres/graph-store.ts';
import type { OpenContext } from './registry.ts';

/**
 * Opens the GraphStore that GRAPH_BACKEND names; unset, the graph lives where the evaluations
 * do: in their PostgreSQL or PGlite database, or in memory with STORAGE_BACKEND=memory.
 */
export async function openGraph(ctx: OpenContext): Promise<GraphStore> {
  const { graph } = ctx.config;
  const backend = graph.backend ?? (ctx.sql ? 'postgres' : 'memory');
  let store: GraphStore;
  if (backend === 'arango') {
    if (!graph.arango) throw new StartupError('GRAPH_BACKEND=arango needs ARANGO_URL.');
    const opened = await openArangoGraph(graph.arango, ctx.logger);
    ctx.onClose(opened.close);
    store = opened.store;
  } else if (backend === 'postgres') {
    if (!ctx.sql) throw new StartupError('GRAPH_BACKEND=postgres needs a database, but STORAGE_BACKEND=memory has none: use GRAPH_BACKEND=memory.');
    store = createPostgresGraphStore(ctx.sql);
  } else {
    store = createMemoryGraphStore();
    ctx.onClose(() => store.close());
  }
  ctx.reportStatus(() => store.status());
  return store;
}
