/**
 * JSON containment with PostgreSQL's jsonb `@>` semantics, for the memory backend: objects contain
 * a subset of keys (recursively), arrays contain every element of the other array in any order,
 * scalars must be equal. A top-level array also contains a bare scalar, as in PostgreSQL.
 */
export function jsonContains(container: unknown, contained: unknown, topLevel = true): boolean {
  if (Array.isArray(container)) {
    if (Array.isArray(contained)) {
      return contained.every((c) => container.some((v) => jsonContains(v, c, false)));
    }
    return topLevel && isScalar(contained) && container.some((v) => v === contained);
  }
  if (isObject(container)) {
    if (!isObject(contained)) return false;
    return Object.entries(contained).every(([k, v]) => k in container && jsonContains(container[k], v, false));
  }
  return !Array.isArray(contained) && !isObject(contained) && container === contained;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}
