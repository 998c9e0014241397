import { createRegistry, type Registry } from './backends/registry.ts';
import type { EvaluationStore } from './backends/types.ts';
import { loadConfig, type Config } from './config.ts';
import type { SerializerChoice } from './domain/serializers.ts';
import { createLogger, type Logger } from './logger.ts';
import type { Platform } from './services/platform/index.ts';

/**
 * Strata as a TypeScript library: the capabilities the GraphQL resolvers use, without HTTP, for a
 * worker in the same codebase. Run the file through tsx like the rest of the sources.
 *
 *   const strata = await createStrata(loadConfig(), { serializer: 'superjson' });
 *   await strata.kv.put('job:1', { startedAt: new Date() }, 3600);
 *   const item = await strata.queues.pop('jobs', 5000);
 *   await strata.close();
 */

export interface StrataOptions {
  /**
   * How KV values are stored: 'json' (what GraphQL reads and writes), 'superjson' (also Date, Map,
   * Set, BigInt, undefined), or your own KvSerializer. Only `kv` is affected. @default 'json'
   */
  serializer?: SerializerChoice;
  /** @default a JSON-lines logger at config.logLevel */
  logger?: Logger;
  /** Apply database migrations while opening. @default config.migrateOnStart */
  migrate?: boolean;
}

export interface Strata extends Platform {
  evaluations: EvaluationStore;
  /** Everything opened, for health (`registry.statuses()`) and the less common capabilities. */
  registry: Registry;
  /** Closes every connection and pool; pending blocking pops end. */
  close(): Promise<void>;
}

/** Opens the configured backends (`config` defaults to the environment, as the server reads it). */
export async function createStrata(config: Config = loadConfig(), options: StrataOptions = {}): Promise<Strata> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const registry = await createRegistry(config, logger, { migrate: options.migrate });
  return {
    kv: options.serializer ? registry.kv.withSerializer(options.serializer) : registry.kv,
    queues: registry.queues,
    locks: registry.locks,
    counters: registry.counters,
    series: registry.series,
    evaluations: registry.evaluations,
    registry,
    close: () => registry.close(),
  };
}

export { loadConfig, testConfig, type Config } from './config.ts';
export { BadUserInputError, ErrorCode, StrataError } from './errors.ts';
export { jsonSerializer, superjsonSerializer, type KvSerializer } from './domain/serializers.ts';
export type { KvEntry, KvRangeArgs, KvStore, Locks, Queues, QueueInfo, SeriesArgs, TaskCounters, TimeSeries } from './services/platform/index.ts';
export type { SeriesPointRecord as SeriesPoint, TaskStatsRecord as TaskStats } from './backends/platform-types.ts';
