import type { SeriesBackend, SeriesPointRecord } from '../platform-types.ts';

interface Series {
  /** Oldest first; ties broken like Redis members "<ms>:<value>". */
  points: SeriesPointRecord[];
  expiresAt: number;
}

const member = (p: SeriesPointRecord) => `${p.timestamp.getTime()}:${p.value}`;
const order = (a: SeriesPointRecord, b: SeriesPointRecord) =>
  a.timestamp.getTime() - b.timestamp.getTime() || (member(a) < member(b) ? -1 : member(a) > member(b) ? 1 : 0);

/** Time series in process memory, with the Redis store's trimming, expiry and duplicate rules. */
export function createMemorySeriesStore(now: () => number = Date.now): SeriesBackend & { close(): void } {
  const all = new Map<string, Series>();
  const live = (name: string) => {
    const series = all.get(name);
    if (series && series.expiresAt <= now()) all.delete(name);
    return all.get(name);
  };
  return {
    async add(name, point, maxPoints, ttlSeconds) {
      const series = live(name) ?? { points: [], expiresAt: 0 };
      // The same value at the same instant is one point, as with a sorted-set member.
      if (!series.points.some((p) => member(p) === member(point))) {
        series.points.push({ value: point.value, timestamp: new Date(point.timestamp) });
        series.points.sort(order);
        if (series.points.length > maxPoints) series.points.splice(0, series.points.length - maxPoints);
      }
      series.expiresAt = now() + ttlSeconds * 1000;
      all.set(name, series);
    },
    async range(name, { from, to, last }) {
      const points = (live(name)?.points ?? []).filter((p) => (!from || p.timestamp >= from) && (!to || p.timestamp <= to));
      const newest = last === undefined ? points : points.slice(Math.max(0, points.length - last));
      return newest.map((p) => ({ value: p.value, timestamp: new Date(p.timestamp) }));
    },
    close: () => all.clear(),
  };
}
