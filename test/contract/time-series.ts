import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { rejectsWithCode } from '../support/assert.ts';
import { eventually } from '../support/eventually.ts';
import type { PlatformFactory, TestPlatform } from '../support/platform.ts';

const at = (s: number) => new Date(Date.UTC(2024, 6, 1, 12, 0, s));

/** The time series contract (seed 000's TimeSeriesStore), run against every backend. */
export function timeSeriesContract(name: string, open: PlatformFactory): void {
  describe(`Time series contract: ${name}`, () => {
    let p: TestPlatform;
    afterEach(() => p.close());

    it('returns points oldest first, within from..to inclusive, or the newest `last`', async () => {
      p = await open();
      for (const s of [3, 0, 4, 1, 2]) assert.equal(await p.series.add('cpu', s * 10 + 0.5, at(s)), true);
      const all = await p.series.range('cpu');
      assert.deepEqual(all, [0, 1, 2, 3, 4].map((s) => ({ value: s * 10 + 0.5, timestamp: at(s) })));
      assert.deepEqual((await p.series.range('cpu', { from: at(1), to: at(3) })).map((x) => x.value), [10.5, 20.5, 30.5]);
      assert.deepEqual((await p.series.range('cpu', { last: 2 })).map((x) => x.value), [30.5, 40.5]);
      assert.deepEqual((await p.series.range('cpu', { to: at(2), last: 2 })).map((x) => x.value), [10.5, 20.5]);
      assert.deepEqual(await p.series.range('cpu', { last: 0 }), []);
      assert.deepEqual(await p.series.range('other'), []);
    });

    it('keeps only the newest SERIES_MAX_POINTS points by timestamp', async () => {
      p = await open({ SERIES_MAX_POINTS: '5' });
      for (const s of [7, 1, 6, 0, 5, 2, 4, 3]) await p.series.add('m', s, at(s));
      assert.deepEqual((await p.series.range('m')).map((x) => x.value), [3, 4, 5, 6, 7]);
    });

    it('stores the same value at the same instant once; values round-trip exactly', async () => {
      p = await open();
      await p.series.add('d', 1, at(0));
      await p.series.add('d', 1, at(0));
      await p.series.add('d', 2, at(0));
      await p.series.add('d', 0.1 + 0.2, at(1));
      await p.series.add('d', -1e-9, at(2));
      assert.deepEqual((await p.series.range('d')).map((x) => x.value), [1, 2, 0.1 + 0.2, -1e-9]);
    });

    it('timestamps a point with the current time when none is given', async () => {
      p = await open();
      const before = Date.now();
      await p.series.add('now', 1);
      const [point] = await p.series.range('now');
      assert.ok(point && point.timestamp.getTime() >= before && point.timestamp.getTime() <= Date.now());
    });

    it('expires SERIES_TTL_SECONDS after the last write', async () => {
      p = await open({ SERIES_TTL_SECONDS: '1' });
      await p.series.add('brief', 1, at(0));
      await eventually('the series to expire', async () => ((await p.series.range('brief')).length === 0 ? true : undefined));
    });

    it('refuses bad names, values, ranges and counts with BAD_USER_INPUT', async () => {
      p = await open({ SERIES_MAX_POINTS: '10' });
      for (const v of [Number.NaN, Infinity, -Infinity]) await rejectsWithCode(p.series.add('s', v), 'BAD_USER_INPUT', { field: 'value' });
      await rejectsWithCode(p.series.add('s', 1, new Date('nope')), 'BAD_USER_INPUT', { field: 'timestamp' });
      for (const name of ['', 's\nt', 'x'.repeat(2000)]) await rejectsWithCode(p.series.add(name, 1), 'BAD_USER_INPUT', { field: 'name' });
      await rejectsWithCode(p.series.range('s', { from: at(2), to: at(1) }), 'BAD_USER_INPUT', { field: 'from' });
      await rejectsWithCode(p.series.range('s', { last: 11 }), 'BAD_USER_INPUT', { field: 'last', limit: 10 });
      await rejectsWithCode(p.series.range('s', { last: -1 }), 'BAD_USER_INPUT', { field: 'last' });
      assert.deepEqual(await p.series.range('s'), []);
    });
  });
}
