import type { Limits } from '../config.ts';
import { BadUserInputError } from '../errors.ts';
import type { JsonObject } from './evaluation.ts';

/**
 * Input checks shared by every entry point (GraphQL now, REST and the library later). Each failure
 * is a BAD_USER_INPUT error that names the field and the limit, so the caller knows what to change.
 */

function checkTextContent(field: string, value: string): void {
  // PostgreSQL text and jsonb cannot hold U+0000, and a lone surrogate cannot be encoded as UTF-8:
  // both would otherwise fail deep in the driver or be silently replaced.
  if (value.includes('\u0000')) {
    throw new BadUserInputError(`${field} contains a NUL character (U+0000), which cannot be stored; remove or escape it.`, { field });
  }
  if (!value.isWellFormed()) {
    throw new BadUserInputError(`${field} contains an unpaired UTF-16 surrogate; send valid Unicode text.`, { field });
  }
}

export function checkString(field: string, value: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maxBytes) {
    throw new BadUserInputError(`${field} is ${bytes} bytes; the limit is ${maxBytes} bytes.`, { field, limit: maxBytes });
  }
  checkTextContent(field, value);
  return value;
}

/** Output and error text: NUL bytes are allowed (stored as bytes), invalid Unicode is not. */
export function checkOutputText(field: string, value: string, maxBytes: number): Buffer {
  if (!value.isWellFormed()) {
    throw new BadUserInputError(`${field} contains an unpaired UTF-16 surrogate; send valid Unicode text.`, { field });
  }
  const data = Buffer.from(value, 'utf8');
  if (data.length > maxBytes) {
    throw new BadUserInputError(`${field} is ${data.length} bytes; the limit is ${maxBytes} bytes.`, { field, limit: maxBytes });
  }
  return data;
}

function checkJsonStrings(field: string, value: unknown, depth: number): void {
  if (depth > 64) throw new BadUserInputError(`${field} is nested more than 64 levels deep.`, { field });
  if (typeof value === 'string') return checkTextContent(field, value);
  if (Array.isArray(value)) return value.forEach((v) => checkJsonStrings(field, v, depth + 1));
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      checkTextContent(`${field} key`, k);
      checkJsonStrings(field, v, depth + 1);
    }
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A metadata value: a JSON object within the size limit, storable in jsonb. */
export function checkJsonObject(field: string, value: unknown, maxBytes: number): JsonObject {
  if (!isJsonObject(value)) {
    throw new BadUserInputError(`${field} must be a JSON object like {"key": "value"}, not ${describe(value)}.`, { field });
  }
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > maxBytes) {
    throw new BadUserInputError(`${field} is ${bytes} bytes as JSON; the limit is ${maxBytes} bytes.`, { field, limit: maxBytes });
  }
  checkJsonStrings(field, value, 0);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function checkList<T>(field: string, list: readonly T[], max: number): readonly T[] {
  if (list.length > max) {
    throw new BadUserInputError(`${field} has ${list.length} items; the limit is ${max}.`, { field, limit: max });
  }
  return list;
}

export function checkNonNegative(field: string, value: number, max = 2_147_483_647): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new BadUserInputError(`${field} must be between 0 and ${max} (got ${value}).`, { field });
  }
  return value;
}

/** `first` / `last`: the page size asked for, within 0..MAX_PAGE_SIZE. */
export function checkPageSize(field: string, value: number | null | undefined, limits: Limits): number | undefined {
  if (value == null) return undefined;
  if (value < 0 || value > limits.maxPageSize) {
    throw new BadUserInputError(`${field} must be between 0 and ${limits.maxPageSize} (got ${value}).`, { field, limit: limits.maxPageSize });
  }
  return value;
}

export function checkTimeRange(fromField: string, from: Date | null | undefined, toField: string, to: Date | null | undefined): void {
  if (from && to && from.getTime() > to.getTime()) {
    throw new BadUserInputError(`${fromField} (${from.toISOString()}) is after ${toField} (${to.toISOString()}).`, { field: fromField });
  }
}
