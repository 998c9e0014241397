import { impliedRunning, type RunningRecord } from '../domain/running.ts';
import type { Logger } from '../logger.ts';
import type { RedisLogTail } from './redis/log-tail.ts';
import type { RedisRunningSet } from './redis/running-set.ts';
import type { RunningMirror, RunningStore } from './running-types.ts';
import type { EvaluationStore, ListQuery } from './types.ts';

/** Without Redis: nothing to mirror, and every read goes to the primary store. */
export const NO_MIRROR: RunningMirror = {
  enabled: false,
  started: async () => {},
  finished: async () => {},
  putRecord: async () => {},
  list: async () => null,
  prune: () => {},
  pushLines: async () => {},
  readTail: async () => null,
  rebuild: async () => {},
};

export interface RedisMirrorDeps {
  set: RedisRunningSet;
  tail: RedisLogTail;
  evaluations: EvaluationStore;
  store: RunningStore;
  logger: Logger;
}

const REBUILD_PAGE = 1000;

/**
 * The running set and log tails in Redis, kept in step with the primary store. Redis is never
 * trusted beyond what it can prove: a failed write unmarks the set (readers go to the primary
 * until a rebuild marks it again) or drops the tail it could not extend; a reader that finds the set
 * unmarked starts a rebuild. Entries a race left behind (a report landing just after the finish)
 * are harmless: readers check each evaluation's status, and prune what is stale.
 */
export function createRedisRunningMirror(deps: RedisMirrorDeps): RunningMirror & { idle(): Promise<void> } {
  const { set, tail, logger } = deps;
  const background = new Set<Promise<unknown>>();
  let rebuilding: Promise<void> | null = null;
  const inBackground = (work: Promise<unknown>) => {
    const tracked = work.finally(() => background.delete(tracked));
    background.add(tracked);
  };
  const warn = (err: unknown, what: string) => logger.warn({ err, what }, 'running mirror: Redis failed; reads use the primary store meanwhile');
  const write = async (what: string, work: () => Promise<unknown>, undo: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      warn(err, what);
      await undo().catch(() => {}); // Redis is down: the rebuild after it reconnects repairs it
    }
  };
  const unmark = () => set.markIncomplete();
  const forget = (ids: readonly string[]) => Promise.all([set.remove(ids), tail.drop(ids)]);

  async function rebuildNow(): Promise<void> {
    const generation = await set.generation();
    const records = await runningFromPrimary(deps.evaluations, deps.store);
    // Tails may have missed pushes while Redis was away; they refill from the next append.
    await tail.drop(records.map((r) => r.evaluationId));
    const marked = await set.rebuild(records, generation);
    logger.info({ running: records.length, marked }, 'running mirror: running set rebuilt from the primary store');
  }

  const mirror = {
    enabled: true,
    started: (evaluation) => write('started', () => set.put(impliedRunning(evaluation)), unmark),
    finished: (id) => write('finished', () => forget([id]), unmark),
    putRecord: (record) => write('report', () => set.put(record), unmark),
    async list() {
      try {
        const records = await set.list();
        if (!records) inBackground(mirror.rebuild());
        return records;
      } catch (err) {
        warn(err, 'list');
        return null;
      }
    },
    prune(ids) {
      if (ids.length > 0) inBackground(write('prune', () => forget(ids), async () => {}));
    },
    // A lost push would leave a hole or a missing end in the tail: drop it, readers use the primary.
    pushLines: (id, lines) => write('log tail', () => tail.push(id, lines), () => tail.drop([id])),
    readTail: (id, query) => tail.read(id, query).catch((err: unknown) => (warn(err, 'log tail'), null)),
    rebuild() {
      rebuilding ??= rebuildNow()
        .catch((err: unknown) => warn(err, 'rebuild'))
        .finally(() => (rebuilding = null));
      return rebuilding;
    },
    async idle() {
      while (rebuilding || background.size > 0) await Promise.allSettled([rebuilding, ...background]);
    },
  } satisfies RunningMirror & { idle(): Promise<void> };
  return mirror;
}

/** Every RUNNING evaluation's record (implied when no worker reported), read page by page. */
async function runningFromPrimary(evaluations: EvaluationStore, store: RunningStore): Promise<RunningRecord[]> {
  const records: RunningRecord[] = [];
  const query: ListQuery = { filter: { status: ['RUNNING'], includeDeleted: true }, field: 'CREATED_AT', direction: 'ASC', nullsFirst: false, limit: REBUILD_PAGE };
  for (let page = await evaluations.list(query); page.length > 0; page = await evaluations.list(query)) {
    const stored = await store.getMany(page.map((e) => e.id));
    records.push(...page.map((e) => stored.get(e.id) ?? impliedRunning(e)));
    const last = page.at(-1)!;
    query.after = { value: last.createdAt.toISOString(), id: last.id };
  }
  return records;
}
