import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import { ISO_TEXT, parseTimestamptz, strataPgTypes } from '../../src/backends/postgres/timestamps.ts';
import { createPgliteClient } from '../../src/backends/postgres/pglite.ts';
import { postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';

const pgDefault = pg.types.getTypeParser(1184, 'text') as (text: string) => Date;
const skip = await postgresUnavailable();

/** What the API wrote before this parser: pg's Date, formatted by toISOString. */
const expected = (text: string) => {
  const date = pgDefault(text);
  return { time: date.getTime(), iso: Number.isNaN(date.getTime()) ? null : date.toISOString() };
};
const actual = (text: string) => {
  const date = parseTimestamptz(text);
  return { time: date.getTime(), iso: Number.isNaN(date.getTime()) ? null : (date[ISO_TEXT] ?? date.toISOString()) };
};

describe('timestamptz read as the API text (issue 10)', () => {
  it('gives the same Date and the same API text as pg and toISOString, for every precision and form', () => {
    for (const text of [
      '2024-07-01 12:00:05+00',
      '2024-07-01 12:00:05.1+00',
      '2024-07-01 12:00:05.12+00',
      '2024-07-01 12:00:05.123+00',
      '2024-07-01 12:00:05.123999+00',
      '1999-12-31 23:59:59.999999+00',
      '2024-07-01 14:00:05.5+02', // another session time zone: pg's parser
      '2024-07-01 12:00:05+05:30',
      '0099-01-01 00:00:00+00',
      '0100-01-01 00:00:00+00',
      '0999-12-31 23:59:59.5+00',
      '12024-07-01 12:00:05+00',
      '2024-07-01 12:00:05+00 BC',
      '2024-02-30 12:00:05+00',
    ]) {
      assert.deepEqual(actual(text), expected(text), text);
    }
  });

  it('agrees with pg on random instants written at every precision', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 999 }), (date, digits, micros) => {
        const iso = date.toISOString();
        const fraction = digits === 0 ? '' : `.${(iso.slice(20, 23) + String(micros).padStart(3, '0')).slice(0, digits)}`;
        const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00`;
        assert.deepEqual(actual(text), expected(text), text);
      }),
      { numRuns: 2000 },
    );
  });

  it('matches what PostgreSQL and PGlite send, read through the pool types Strata uses', { skip: skip ?? false }, async () => {
    const sql = `SELECT t FROM (VALUES (now()), ('2024-07-01 12:00:05.123456+00'::timestamptz), ('1999-12-31 23:59:59.9995+00'::timestamptz), ('2024-07-01 12:00:05+00'::timestamptz)) v(t)`;
    const strata = new pg.Client({ connectionString: TEST_DATABASE_URL, types: strataPgTypes });
    const plain = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await Promise.all([strata.connect(), plain.connect()]);
    try {
      const frozen = `SELECT t FROM (VALUES ('2024-07-01 12:00:05.123456+00'::timestamptz), ('1999-12-31 23:59:59.9995+00'::timestamptz), ('2024-07-01 12:00:05+00'::timestamptz)) v(t)`;
      const [a, b] = await Promise.all([strata.query(frozen), plain.query(frozen)]);
      const ours = a.rows.map((r) => (r.t as Date & { [ISO_TEXT]?: string })[ISO_TEXT]);
      assert.deepEqual(ours, b.rows.map((r) => (r.t as Date).toISOString()));
      assert.ok(ours.every((t) => typeof t === 'string'), 'the UTC session takes the fast form');
      const now = await strata.query(sql);
      assert.ok(now.rows.every((r) => r.t instanceof Date), 'still Dates for the domain');
      const lite = await createPgliteClient(null);
      try {
        const fromLite = (await lite.query<{ t: Date }>(frozen)).rows.map((r) => r.t.toISOString());
        assert.deepEqual(fromLite, ours, 'PGlite (its own parsers) gives the same API text');
      } finally {
        await lite.close();
      }
    } finally {
      await Promise.all([strata.end(), plain.end()]);
    }
  });
});
