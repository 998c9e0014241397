import { Kind } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { ISO_TEXT, type ReadTimestamp } from '../backends/postgres/timestamps.ts';
import { BadUserInputError } from '../errors.ts';
import { builder } from './builder.ts';

// RFC 3339 date-time with an explicit offset: a time without a zone is ambiguous, so it is refused.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && RFC3339.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new BadUserInputError(
      `DateTime must be an RFC 3339 string with a time zone, like "2024-07-01T12:00:00Z" (got ${JSON.stringify(value)?.slice(0, 40)}).`,
    );
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'A point in time: an RFC 3339 string with a time zone, returned in UTC with milliseconds.',
  // A timestamp read from PostgreSQL carries its ISO text already (backends/postgres/timestamps.ts).
  serialize: (value) => (value instanceof Date ? ((value as ReadTimestamp)[ISO_TEXT] ?? value.toISOString()) : String(value)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.addScalarType('JSON', JSONResolver, {});
