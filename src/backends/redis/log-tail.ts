import type { Result } from 'ioredis';
import type { LogLineRecord, LogQuery, LogSlice } from '../../domain/running.ts';
import { execMulti, type RedisClient } from './connection.ts';
import type { RunningKeys } from './running-keys.ts';

// KEYS: tail. ARGV: afterSeq, limit, fromEnd ('1' or '0'). One atomic look at the sorted set: its
// lowest and highest seq and the wanted lines, so a concurrent push or trim cannot split the answer.
const READ = `local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #first == 0 then return false end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local lines
if ARGV[3] == '1' then
  lines = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
else
  lines = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, ARGV[2])
end
return {first[2], last[2], lines}`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    strataLogTailRead(tail: string, afterSeq: number, limit: number, fromEnd: string): Result<[string, string, string[]] | null, Context>;
  }
}

/** Each evaluation's newest lines in a sorted set scored by seq. Errors are thrown to the caller. */
export interface RedisLogTail {
  /** Adds lines (in any order: the score orders them), keeps the newest `maxLines`, refreshes the expiry. */
  push(evaluationId: string, lines: readonly LogLineRecord[]): Promise<void>;
  /** The query answered from the tail, or null when the tail does not hold every line it needs. */
  read(evaluationId: string, query: LogQuery): Promise<LogSlice | null>;
  drop(evaluationIds: readonly string[]): Promise<void>;
}

// The seq is part of each member, so members are unique per line, and pushing the same lines twice
// (a resent command after a reconnect) changes nothing.
const encode = (l: LogLineRecord) => JSON.stringify([l.seq, l.timestamp.getTime(), l.stream, l.text]);
function decode(member: string): LogLineRecord {
  const [seq, ms, stream, text] = JSON.parse(member) as [number, number, string, string];
  return { seq, timestamp: new Date(ms), stream, text };
}

/**
 * Whether the tail's lines answer the query exactly. Appenders push concurrently and out of order,
 * and a push can be lost with a connection, so the tail may have holes and may lag the primary:
 * - the lines read must be consecutive (a hole means a push is missing or still in flight);
 * - they must start right after afterSeq, unless a tail read got all `limit` lines it asked for;
 * - a read that found nothing past afterSeq is answered only if the tail reaches afterSeq.
 * Lines committed to the primary but not yet pushed may be missing at the end; the reader then
 * gets them on its next read (from nextSeq), so it may lag but never skips or repeats a line.
 */
export function coveredSlice(query: LogQuery, minSeq: number, maxSeq: number, lines: LogLineRecord[]): LogSlice | null {
  if (lines.some((l, i) => l.seq !== lines[0]!.seq + i)) return null;
  const startsRight = minSeq <= query.afterSeq + 1 && (lines.length === 0 || lines[0]!.seq === query.afterSeq + 1);
  const fullTail = query.fromEnd && lines.length === query.limit;
  if (lines.length === 0 && !query.fromEnd && maxSeq > query.afterSeq) return null;
  return startsRight || fullTail ? { lines, lastSeq: maxSeq } : null;
}

export function createRedisLogTail(redis: RedisClient, keys: RunningKeys, options: { maxLines: number; ttlSeconds: number }): RedisLogTail {
  redis.defineCommand('strataLogTailRead', { numberOfKeys: 1, lua: READ });
  return {
    async push(evaluationId, lines) {
      if (lines.length === 0) return;
      const key = keys.logTail(evaluationId);
      const members = lines.flatMap((l) => [l.seq, encode(l)]);
      // One key, so MULTI is valid on Redis Cluster; the trim keeps the highest seqs.
      await execMulti(redis.multi().zadd(key, ...members).zremrangebyrank(key, 0, -(options.maxLines + 1)).expire(key, options.ttlSeconds));
    },
    async read(evaluationId, query) {
      const found = await redis.strataLogTailRead(keys.logTail(evaluationId), query.afterSeq, query.limit, query.fromEnd ? '1' : '0');
      if (!found) return null;
      const [min, max, members] = found;
      const lines = members.map(decode);
      if (query.fromEnd) lines.reverse();
      return coveredSlice(query, Number(min), Number(max), lines);
    },
    async drop(evaluationIds) {
      if (evaluationIds.length > 0) await Promise.all(evaluationIds.map((id) => redis.unlink(keys.logTail(id))));
    },
  };
}
