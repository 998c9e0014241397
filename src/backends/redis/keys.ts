/**
 * Every Redis key the worker primitives use, in one place, so the layout can be read (and checked
 * for Redis Cluster, issue 9) without hunting through the commands.
 *
 * Slots. Redis Cluster hashes only the part of a key between the first "{" and the next "}" when
 * there is one. A command, a Lua script or a MULTI may only touch keys of one slot, and an ioredis
 * pipeline only keys of one node, so:
 * - The key-value store is one unit: each value key, the range index (a sorted set of all keys)
 *   and the expiry index (a sorted set scored by expiry time) carry the hash tag "{kv}", so one
 *   Lua script can write a value and keep both indexes in step, and a range read can check the
 *   values it lists. The cost: all KV data lives on one shard, which is what a single global
 *   lexicographic order requires. KEY_PREFIX may not contain braces, so the tag is always "{kv}";
 *   a "{" in a user's key comes after it and changes nothing.
 * - Queues, locks, task counters and series use one key per command (LPUSH/BRPOP, SET NX/Lua on
 *   one key, MULTI on one hash or sorted set), so they have no tag and spread over all shards. A
 *   "{...}" in a user's name only decides which shard that one key is on.
 *
 * The other Redis keys of the gateway, for the whole picture (all under KEY_PREFIX):
 * - `{running}:...` (running-keys.ts): the running set, its records, marker and generation share
 *   the tag "{running}", because one script lists the set with every record and others write a
 *   record and the set together. `logs:{<id>}:latest`: one slot per evaluation's log tail (every
 *   tail command names only that key), so tails spread over all shards.
 * - `cache:{eval:<id>}` and `cache:{eval:<id>}:lease` (cache/redis-entity-cache.ts): a cached
 *   evaluation and its fill lease share the tag "{eval:<id>}" (the fill script checks the lease
 *   and writes the value); different evaluations spread over all shards, so a page of ids is read
 *   with one MGET per slot, pipelined per node (slots.ts), never one MGET across slots.
 * - `ratelimit:<key name>` (token-bucket.ts): one bucket per API key, one key per script call.
 * - `ryw:<caller>` (read-your-writes.ts, with DATABASE_READ_URL): one key per SET or EXISTS.
 * - Pub/sub channels `feed:evaluation:<id>` and `feed:running` (feed-transport.ts) are not keys
 *   and have no slot: a PUBLISH to any node reaches subscribers on every node.
 * The tests in test/backends/redis-cluster.test.ts check these slots on a real cluster.
 */
export interface KeyLayout {
  kvValue(key: string): string;
  /** Prefix of every value key: the range script appends the member to it. */
  readonly kvValuePrefix: string;
  readonly kvIndex: string;
  readonly kvExpiry: string;
  queue(name: string): string;
  lock(key: string): string;
  taskStats(taskId: string): string;
  series(name: string): string;
}

export function keyLayout(prefix: string): KeyLayout {
  const kvValuePrefix = `${prefix}{kv}:v:`;
  return {
    kvValue: (key) => kvValuePrefix + key,
    kvValuePrefix,
    kvIndex: `${prefix}{kv}:index`,
    kvExpiry: `${prefix}{kv}:expiry`,
    queue: (name) => `${prefix}queue:${name}`,
    lock: (key) => `${prefix}lock:${key}`,
    taskStats: (taskId) => `${prefix}taskstats:${taskId}`,
    series: (name) => `${prefix}series:${name}`,
  };
}
