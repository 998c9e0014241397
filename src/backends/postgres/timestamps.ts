import pg from 'pg';

/**
 * The API text of a timestamp read from PostgreSQL, when it was read in the common form: the
 * DateTime scalar writes it as it is instead of formatting the Date again. A Date that is changed
 * after reading would make it stale; nothing in Strata changes a Date in place.
 */
export const ISO_TEXT: unique symbol = Symbol('strata.isoText');
export type ReadTimestamp = Date & { [ISO_TEXT]?: string };

const TIMESTAMPTZ = 1184;
const parseTimestamptzDefault = pg.types.getTypeParser(TIMESTAMPTZ, 'text');

/**
 * `timestamptz` in the text form a UTC session sends (`2024-07-01 12:00:05.123456+00`) becomes
 * the API's form (`2024-07-01T12:00:05.123Z`, toISOString's: milliseconds, truncated as a Date
 * truncates them) by moving characters, and the Date is made from that ISO text; anything else
 * (another time zone, years past 9999, BC, infinity) goes to pg's own parser (postgres-date).
 * W2 reads about 1,000 timestamps per response: postgres-date's parse plus toISOString per value
 * were ~14% of its CPU (bench/RESULTS.md).
 */
export function parseTimestamptz(text: string): ReadTimestamp {
  const n = text.length;
  if (n < 22 || n > 29 || text.charCodeAt(10) !== 32 || text.charCodeAt(n - 3) !== 43 || text.charCodeAt(n - 2) !== 48 || text.charCodeAt(n - 1) !== 48) {
    return parseTimestamptzDefault(text) as Date;
  }
  const fraction = n > 22 ? text.slice(20, n - 3) : '';
  if (n > 22 && text.charCodeAt(19) !== 46) return parseTimestamptzDefault(text) as Date;
  const iso = `${text.slice(0, 10)}T${text.slice(11, 19)}.${(fraction + '000').slice(0, 3)}Z`;
  const date: ReadTimestamp = new Date(iso);
  // Date's parser rolls an impossible day over (Feb 30 -> Mar 1); PostgreSQL never sends one, but
  // if it did, the text would not be the Date's.
  if (date.getUTCDate() !== (text.charCodeAt(8) - 48) * 10 + text.charCodeAt(9) - 48) return parseTimestamptzDefault(text) as Date;
  date[ISO_TEXT] = iso;
  return date;
}

/** Type parsers for Strata's own pool only (pg.Pool's `types`): other users of pg in the process keep the defaults. */
export const strataPgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ && format !== 'binary') return parseTimestamptz;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;
