import { BadUserInputError } from '../errors.ts';

const MAX_DEPTH = 64;

/**
 * Checks that `value` survives JSON.stringify/JSON.parse unchanged. JSON.stringify itself is
 * lossy: it turns a Date into a string, a Map or Set into {}, NaN into null, drops undefined and
 * functions, and throws on BigInt. A library caller storing such a value would read back something
 * else, so it is refused with the path of the first offending part.
 */
export function checkJsonValue(field: string, value: unknown): unknown {
  const problem = findNonJson(value, field, 0);
  if (problem) {
    throw new BadUserInputError(
      `${problem} is not plain JSON. Store null, booleans, finite numbers, strings, arrays and plain objects, ` +
        'or create the store with the superjson serializer to keep Date, Map, Set and BigInt.',
      { field },
    );
  }
  return value;
}

function findNonJson(value: unknown, path: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${path} (nested more than ${MAX_DEPTH} levels deep)`;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path} (${value})`;
    case 'object':
      return value === null ? null : findInObject(value, path, depth);
    default:
      return `${path} (a ${typeof value})`;
  }
}

function findInObject(value: object, path: string, depth: number): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonJson(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `${path} (a ${value.constructor?.name ?? 'non-plain object'})`;
  for (const [k, v] of Object.entries(value)) {
    const found = findNonJson(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}
