import DataLoader from 'dataloader';
import type { EvaluationStore, EventQuery, MetricQuery } from './backends/types.ts';
import type { GraphStore, NeighbourQuery } from './backends/graph-types.ts';
import type { Neighbour, VertexRecord } from './domain/graph.ts';
import type { EvaluationRecord, EventRecord, MetricRecord } from './domain/evaluation.ts';
import type { RunningBackends } from './backends/running-types.ts';
import type { LogQuery, LogSlice, RunningRecord } from './domain/running.ts';
import { metrics } from './observability/metrics.ts';

/**
 * Per-request DataLoaders. Loaders whose results depend on field arguments (events(first, types),
 * metrics(names, last)) are kept per distinct argument set: a page of evaluations asking the same
 * arguments shares one loader, so the page costs one statement per field, whatever its size.
 */
export interface Loaders {
  evaluation: DataLoader<string, EvaluationRecord | null>;
  events(query: EventQuery): DataLoader<string, EventRecord[]>;
  eventCount(types: readonly string[] | undefined): DataLoader<string, number>;
  metrics(query: MetricQuery): DataLoader<string, MetricRecord[]>;
  /** Tasks and results by id. */
  vertex: DataLoader<string, VertexRecord | null>;
  /** Edges and the vertices at their other end, per direction, edge types and kind. */
  neighbours(query: NeighbourQuery): DataLoader<string, Neighbour[]>;
  /** Evaluations whose taskId is the key, oldest first, at most `limit` each. */
  evaluationsOfTask(limit: number): DataLoader<string, EvaluationRecord[]>;
  /** Stored container info by evaluation id (runningEvaluations primes it from Redis). */
  running: DataLoader<string, RunningRecord | null>;
  /** Log reads; `hot` (the evaluations are RUNNING) lets their Redis tails answer. */
  logs(query: LogQuery & { hot: boolean }): DataLoader<string, LogSlice>;
}

function keyed<A, V>(make: (args: A) => DataLoader<string, V>): (args: A) => DataLoader<string, V> {
  const byArgs = new Map<string, DataLoader<string, V>>();
  return (args) => {
    const key = JSON.stringify(args);
    let loader = byArgs.get(key);
    if (!loader) byArgs.set(key, (loader = make(args)));
    return loader;
  };
}

/** A batch function that reports its batch size to /metrics (strata_dataloader_batch_size). */
function observed<V>(name: string, load: (ids: readonly string[]) => Promise<V[]>): (ids: readonly string[]) => Promise<V[]> {
  const histogram = metrics.loaderBatchSize.labels(name);
  return (ids) => {
    histogram.observe(ids.length);
    return load(ids);
  };
}

export function createLoaders(store: EvaluationStore, graph: GraphStore, running: RunningBackends): Loaders {
  return {
    evaluation: new DataLoader(observed('evaluation', async (ids) => {
      const found = await store.getMany(ids);
      return ids.map((id) => found.get(id) ?? null);
    })),
    events: keyed((query: EventQuery) => new DataLoader(observed('events', async (ids) => {
      const found = await store.listEvents(ids, query);
      return ids.map((id) => found.get(id) ?? []);
    }))),
    eventCount: keyed((types: readonly string[] | undefined) => new DataLoader(observed('eventCount', async (ids) => {
      const found = await store.countEvents(ids, types);
      return ids.map((id) => found.get(id) ?? 0);
    }))),
    metrics: keyed((query: MetricQuery) => new DataLoader(observed('metrics', async (ids) => {
      const found = await store.listMetrics(ids, query);
      return ids.map((id) => found.get(id) ?? []);
    }))),
    vertex: new DataLoader(observed('vertex', async (ids) => {
      const found = await graph.getVertices(ids);
      return ids.map((id) => found.get(id) ?? null);
    })),
    neighbours: keyed((query: NeighbourQuery) => new DataLoader(observed('neighbours', async (ids) => {
      const found = await graph.neighbours(ids, query);
      return ids.map((id) => found.get(id) ?? []);
    }))),
    evaluationsOfTask: keyed((limit: number) => new DataLoader(observed('evaluationsOfTask', async (ids) => {
      const found = await store.listByTask(ids, limit);
      return ids.map((id) => found.get(id) ?? []);
    }))),
    running: new DataLoader(observed('running', async (ids) => {
      const found = await running.store.getMany(ids);
      return ids.map((id) => found.get(id) ?? null);
    })),
    logs: keyed(({ hot, ...query }: LogQuery & { hot: boolean }) => new DataLoader(observed('logs', async (ids) => {
      const found = await running.readLogs(ids, query, hot);
      return ids.map((id) => found.get(id) ?? { lines: [], lastSeq: 0 });
    }))),
  };
}
