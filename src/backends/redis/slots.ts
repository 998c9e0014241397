import calculateSlot from 'cluster-key-slot';
import { Cluster, type ChainableCommander } from 'ioredis';
import type { RedisClient } from './connection.ts';

/**
 * Batching commands over many unrelated keys (the evaluation cache reads a page of ids at once).
 * On one server, one MGET or one pipeline carries all of them. On a Redis Cluster:
 * - a multi-key command (MGET) may only name keys of one slot, else CROSSSLOT;
 * - an ioredis pipeline goes to one node, so all its keys must live on that node (ioredis refuses
 *   "All keys in the pipeline should belong to the same slots allocation group"; it does NOT
 *   split a pipeline per node).
 * So keys are grouped by node, and within a node by slot: one MGET per slot, all MGETs (or
 * per-key commands) of a node in one pipeline, the node pipelines sent in parallel. A page of 100
 * ids over three masters is three round trips, sent at once, whatever the number of slots.
 */

/** Key indexes: per node, per slot. One server: a single node holding a single group. */
export function groupByNodeAndSlot(redis: RedisClient, keys: readonly string[]): number[][][] {
  if (!(redis instanceof Cluster)) return [[keys.map((_, i) => i)]];
  const nodes = new Map<string, Map<number, number[]>>();
  keys.forEach((key, i) => {
    const slot = calculateSlot(key);
    // Before the slot map is known, each slot is its own "node": still valid, only less batched.
    const node = redis.slots[slot]?.[0] ?? `slot:${slot}`;
    const slots = nodes.get(node) ?? new Map<number, number[]>();
    nodes.set(node, slots);
    slots.set(slot, [...(slots.get(slot) ?? []), i]);
  });
  return [...nodes.values()].map((slots) => [...slots.values()]);
}

export interface Batched<T> {
  /** One entry per key, in the order of `keys`. */
  values: T[];
  /** Pipelines sent: one per node. */
  roundTrips: number;
}

/**
 * Runs one pipeline per node: `add` queues the commands for one slot's keys (given by index) and
 * returns how many it queued; `spread` turns that slot's replies into one value per key. Throws the
 * first command error.
 */
async function perNode<T>(
  redis: RedisClient,
  keys: readonly string[],
  add: (pipeline: ChainableCommander, indexes: number[]) => number,
  spread: (replies: unknown[], indexes: number[]) => T[],
): Promise<Batched<T>> {
  if (redis instanceof Cluster) await usable(redis);
  const values = new Array<T>(keys.length);
  const groups = groupByNodeAndSlot(redis, keys);
  await Promise.all(
    groups.map(async (slots) => {
      const pipeline = redis.pipeline();
      const counts = slots.map((indexes) => add(pipeline, indexes));
      const replies = (await pipeline.exec()) ?? [];
      const flat = replies.map(([err, reply]) => {
        if (err) throw err;
        return reply;
      });
      let at = 0;
      slots.forEach((indexes, s) => {
        spread(flat.slice(at, at + counts[s]!), indexes).forEach((value, j) => (values[indexes[j]!] = value));
        at += counts[s]!;
      });
    }),
  );
  return { values, roundTrips: groups.length };
}

const everReady = new WeakSet<Cluster>();

/**
 * A cluster pipeline waits for the slot map however long that takes; a fail-fast client (no
 * offline queue) must not. During the first connect (slot map and ready check, tens of ms) it
 * waits up to its command timeout, so the first requests after a start do not miss the cache, or
 * worse, fail to invalidate it; once the cluster has been ready, not being ready is an outage and
 * fails at once, as a single server's client does.
 */
async function usable(redis: Cluster): Promise<void> {
  if (redis.status === 'ready') return void everReady.add(redis);
  if (redis.options.enableOfflineQueue) return;
  const notReady = () => new Error(`Redis Cluster is not ready (${redis.status})`);
  if (everReady.has(redis)) throw notReady();
  const waitMs = redis.options.redisOptions?.commandTimeout ?? 1000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (redis.off('ready', onReady), reject(notReady())), waitMs);
    const onReady = () => (clearTimeout(timer), resolve());
    redis.once('ready', onReady);
  });
  everReady.add(redis);
}

/** GET of many keys: MGET per slot, pipelined per node. */
export function mgetPerSlot(redis: RedisClient, keys: readonly string[]): Promise<Batched<string | null>> {
  return perNode(
    redis,
    keys,
    (pipeline, indexes) => (pipeline.mget(indexes.map((i) => keys[i]!)), 1),
    (replies) => replies[0] as (string | null)[],
  );
}

/** One command per key (SET NX, a script, DEL), pipelined per node; the replies in key order. */
export function eachPerNode(redis: RedisClient, keys: readonly string[], command: (pipeline: ChainableCommander, index: number) => void): Promise<Batched<unknown>> {
  return perNode(
    redis,
    keys,
    (pipeline, indexes) => (indexes.forEach((i) => command(pipeline, i)), indexes.length),
    (replies) => replies,
  );
}
