import type { SeriesBackend } from '../platform-types.ts';
import { execMulti, type RedisClient } from './connection.ts';
import type { KeyLayout } from './keys.ts';

/**
 * Time series in one sorted set per name (seed 000): score = timestamp in ms, member =
 * "<ms>:<value>" (so the same value at the same instant is one point, as with the seed's JSON
 * members). Add, trim to the newest points and refresh the expiry go in one MULTI.
 */
export function createRedisSeriesStore(redis: RedisClient, keys: KeyLayout): SeriesBackend {
  return {
    async add(name, point, maxPoints, ttlSeconds) {
      const key = keys.series(name);
      const ms = point.timestamp.getTime();
      await execMulti(
        redis
          .multi()
          .zadd(key, ms, `${ms}:${point.value}`)
          .zremrangebyrank(key, 0, -(maxPoints + 1))
          .expire(key, ttlSeconds),
      );
    },

    async range(name, { from, to, last }) {
      const key = keys.series(name);
      const min = from ? from.getTime() : '-inf';
      const max = to ? to.getTime() : '+inf';
      const members =
        last === undefined
          ? await redis.zrangebyscore(key, min, max)
          : (await redis.zrevrangebyscore(key, max, min, 'LIMIT', 0, last)).reverse();
      return members.map((member) => {
        const colon = member.indexOf(':');
        return { timestamp: new Date(Number(member.slice(0, colon))), value: Number(member.slice(colon + 1)) };
      });
    },
  };
}
