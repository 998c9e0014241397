import { BadUserInputError } from '../errors.ts';

/**
 * Opaque keyset cursors: base64url of a small JSON array. The first element names what the
 * cursor was made for, so a cursor from one ordering or list cannot be replayed against another.
 */
export type CursorValue = string | number | null;

export function encodeCursor(kind: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([kind, ...values]), 'utf8').toString('base64url');
}

export function decodeCursor(field: string, cursor: string, kind: string, arity: number): CursorValue[] {
  let parsed: CursorValue[];
  try {
    if (cursor.length > 1024 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorValue[];
  } catch {
    throw new BadUserInputError(`${field} is not a cursor returned by this API; pass an edge's cursor or pageInfo.endCursor unchanged.`, { field });
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.length === arity + 1 &&
    parsed.slice(1).every((v) => v === null || typeof v === 'string' || typeof v === 'number');
  if (!ok) {
    throw new BadUserInputError(`${field} is not a cursor returned by this API; pass an edge's cursor or pageInfo.endCursor unchanged.`, { field });
  }
  if (parsed[0] !== kind) {
    throw new BadUserInputError(`${field} was made for a different ordering or list (${String(parsed[0])}); restart paging without it.`, { field });
  }
  return parsed.slice(1) as CursorValue[];
}
