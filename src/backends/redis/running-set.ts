import type { Result } from 'ioredis';
import type { RunningRecord } from '../../domain/running.ts';
import { execMulti, type RedisClient } from './connection.ts';
import type { RunningKeys } from './running-keys.ts';

// KEYS: hash, set. ARGV: id, version, field/value pairs. Writes the hash only when it holds an
// older version (or none), so a report that arrives late never replaces a newer one.
const PUT = `local held = redis.call('HGET', KEYS[1], 'version')
if not held or tonumber(held) < tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], unpack(ARGV, 3))
end
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

// KEYS: hash, set. ARGV: id.
const REMOVE = `redis.call('SREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])`;

// KEYS: set, built. ARGV: hash prefix, hash suffix. False (nil) while the set is not known complete.
const LIST = `if redis.call('EXISTS', KEYS[2]) == 0 then return false end
local out = {}
for i, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  out[i] = {id, redis.call('HGETALL', ARGV[1] .. id .. ARGV[2])}
end
return out`;

// KEYS: built, generation. ARGV: the generation the rebuild started from. Marks the set complete
// only if no write failed (and unmarked it) since then, in this process or any other.
const MARK = `if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], '1')
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    strataRunningPut(hash: string, set: string, id: string, version: number, ...fields: string[]): Result<number, Context>;
    strataRunningRemove(hash: string, set: string, id: string): Result<number, Context>;
    strataRunningMark(built: string, generation: string, startedFrom: string): Result<number, Context>;
    strataRunningList(set: string, built: string, hashPrefix: string, hashSuffix: string): Result<[string, string[]][] | null, Context>;
  }
}

/** The running_evaluations set and the per-evaluation hashes. Errors are thrown to the caller. */
export interface RedisRunningSet {
  put(record: RunningRecord): Promise<void>;
  /** Where a rebuild starts from: read it before reading the primary store. */
  generation(): Promise<string>;
  /**
   * Puts every record, then marks the set complete unless a write failed since `generation` was
   * read (then the records are kept but the set stays unmarked); all in one pipeline.
   */
  rebuild(records: readonly RunningRecord[], generation: string): Promise<boolean>;
  remove(evaluationIds: readonly string[]): Promise<void>;
  /** Every member with its record, in one round trip; null when the set is not marked complete. */
  list(): Promise<RunningRecord[] | null>;
  /** Unmarks the set, so that readers use the primary store until the next rebuild marks it. */
  markIncomplete(): Promise<void>;
}

function toFields(r: RunningRecord): string[] {
  const fields = ['version', String(r.version), 'startedAt', String(r.startedAt.getTime()), 'info', JSON.stringify(r.info)];
  if (r.containerId !== null) fields.push('containerId', r.containerId);
  if (r.host !== null) fields.push('host', r.host);
  if (r.heartbeatAt !== null) fields.push('heartbeatAt', String(r.heartbeatAt.getTime()));
  return fields;
}

function fromFields(evaluationId: string, flat: string[]): RunningRecord | null {
  const h = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) h.set(flat[i]!, flat[i + 1]!);
  const version = h.get('version');
  const startedAt = h.get('startedAt');
  if (version === undefined || startedAt === undefined) return null;
  const heartbeatAt = h.get('heartbeatAt');
  return {
    evaluationId,
    containerId: h.get('containerId') ?? null,
    host: h.get('host') ?? null,
    info: JSON.parse(h.get('info') ?? '{}') as RunningRecord['info'],
    startedAt: new Date(Number(startedAt)),
    heartbeatAt: heartbeatAt === undefined ? null : new Date(Number(heartbeatAt)),
    version: Number(version),
  };
}

export function createRedisRunningSet(redis: RedisClient, keys: RunningKeys): RedisRunningSet {
  redis.defineCommand('strataRunningPut', { numberOfKeys: 2, lua: PUT });
  redis.defineCommand('strataRunningRemove', { numberOfKeys: 2, lua: REMOVE });
  redis.defineCommand('strataRunningMark', { numberOfKeys: 2, lua: MARK });
  redis.defineCommand('strataRunningList', { numberOfKeys: 2, lua: LIST });
  return {
    async put(r) {
      await redis.strataRunningPut(keys.hash(r.evaluationId), keys.set, r.evaluationId, r.version, ...toFields(r));
    },
    async generation() {
      return (await redis.get(keys.generation)) ?? '0';
    },
    async rebuild(records, generation) {
      const pipeline = redis.pipeline();
      for (const r of records) pipeline.strataRunningPut(keys.hash(r.evaluationId), keys.set, r.evaluationId, r.version, ...toFields(r));
      pipeline.strataRunningMark(keys.built, keys.generation, generation);
      const replies = (await pipeline.exec()) ?? [];
      for (const [err] of replies) if (err) throw err;
      return replies.at(-1)?.[1] === 1;
    },
    async remove(evaluationIds) {
      await Promise.all(evaluationIds.map((id) => redis.strataRunningRemove(keys.hash(id), keys.set, id)));
    },
    async list() {
      const members = await redis.strataRunningList(keys.set, keys.built, keys.hashPrefix, keys.hashSuffix);
      if (!members) return null;
      // The scripts write a member and its hash together, so a member without its hash means Redis
      // lost data (eviction): the set can no longer be trusted to be complete either.
      const records = members.map(([id, flat]) => fromFields(id, flat));
      return records.every((r) => r !== null) ? (records as RunningRecord[]) : null;
    },
    async markIncomplete() {
      await execMulti(redis.multi().incr(keys.generation).del(keys.built));
    },
  };
}
