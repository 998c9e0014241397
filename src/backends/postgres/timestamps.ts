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
 * truncates them) by moving characters, and the Date from its digits (Date.UTC); anything else
 * (another time zone, years past 9999, BC, infinity) goes to pg's own parser (postgres-date).
 * W2 reads about 1,000 timestamps per response: postgres-date's parse plus toISOString per value
 * were ~14% of its CPU (bench/RESULTS.md).
 */
export function parseTimestamptz(text: string): ReadTimestamp {
  const n = text.length;
  const fast =
    n >= 22 && n <= 29 && text.charCodeAt(4) === DASH && text.charCodeAt(7) === DASH && text.charCodeAt(10) === SPACE && text.charCodeAt(13) === COLON &&
    text.charCodeAt(16) === COLON && text.charCodeAt(n - 3) === PLUS && text.charCodeAt(n - 2) === ZERO && text.charCodeAt(n - 1) === ZERO && (n === 22 || text.charCodeAt(19) === DOT);
  if (!fast) return parseTimestamptzDefault(text) as Date;
  const millis = n === 22 ? '000' : `${text.slice(20, n - 3)}00`.slice(0, 3);
  const year = digits(text, 0, 4);
  // Date.UTC reads years 0-99 as 1900-1999: those (and anything odd) are pg's to parse.
  if (year < 100) return parseTimestamptzDefault(text) as Date;
  const date: ReadTimestamp = new Date(
    Date.UTC(year, digits(text, 5, 2) - 1, digits(text, 8, 2), digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2), digits(millis, 0, 3)),
  );
  // Date.UTC rolls an impossible day over (Feb 30 -> Mar 1); PostgreSQL never sends one, but if it
  // did, the text would not be the Date's.
  if (date.getUTCDate() !== digits(text, 8, 2)) return parseTimestamptzDefault(text) as Date;
  date[ISO_TEXT] = `${text.slice(0, 10)}T${text.slice(11, 19)}.${millis}Z`;
  return date;
}

const [DASH, SPACE, COLON, PLUS, ZERO, DOT] = [45, 32, 58, 43, 48, 46];

/** The number written by `length` ASCII digits of `text` from `at`. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) value = value * 10 + text.charCodeAt(i) - ZERO;
  return value;
}

/** Type parsers for Strata's own pool only (pg.Pool's `types`): other users of pg in the process keep the defaults. */
export const strataPgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ && format !== 'binary') return parseTimestamptz;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;
