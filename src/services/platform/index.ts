import type { PlatformBackends } from '../../backends/platform-types.ts';
import type { Config } from '../../config.ts';
import { KvStore } from './kv.ts';
import { Locks } from './locks.ts';
import { Queues } from './queues.ts';
import { TaskCounters } from './task-counters.ts';
import { TimeSeries } from './time-series.ts';

export { KvStore, Locks, Queues, TaskCounters, TimeSeries };
export type { KvEntry, KvRangeArgs } from './kv.ts';
export type { QueueInfo } from './queues.ts';
export type { SeriesArgs } from './time-series.ts';

/** The worker primitives as resolvers and library callers use them: validated, serialized. */
export interface Platform {
  kv: KvStore;
  queues: Queues;
  locks: Locks;
  counters: TaskCounters;
  series: TimeSeries;
}

export function createPlatform(backends: PlatformBackends, config: Config): Platform {
  return {
    kv: new KvStore(backends.kv, config),
    queues: new Queues(backends.queues, config),
    locks: new Locks(backends.locks, config),
    counters: new TaskCounters(backends.counters, config),
    series: new TimeSeries(backends.series, config),
  };
}
