import type { ComplexityEstimator } from 'graphql-query-complexity';
import { getNamedType, getNullableType, isCompositeType, isListType, isObjectType, type GraphQLField, type GraphQLNamedType, type GraphQLSchema } from 'graphql';

const SIZE_ARGS = ['first', 'last', 'limit', 'tail'] as const;

/**
 * What a list without a size argument counts as: such lists (a task's results, a path's vertices)
 * are short in this schema, and counting them as a full page would price ordinary nested reads
 * like an attack.
 */
export const UNSIZED_LIST = 10;

/**
 * The cost of a field: 1 if it returns an object (scalars are free: the token limit bounds how
 * many a document can name), plus its children, times its page size.
 * - A field with a size argument (first, last, limit, tail) multiplies by that argument, or by
 *   `defaultPageSize` when it is omitted: `evaluations(first: 100)` costs 100 times its node.
 * - The lists inside a page (a connection's `edges`, a log chunk's `lines`) are that page: they
 *   do not multiply again. Any other list without a size argument multiplies by UNSIZED_LIST.
 * - `first` and `last` above `maxPageSize` count as `maxPageSize`: the resolver refuses them
 *   anyway, with a message about the argument, which is more useful than one about the cost.
 */
export function pageSizeEstimator(schema: GraphQLSchema, pageSizes: { defaultPageSize: number; maxPageSize: number }): ComplexityEstimator {
  const { defaultPageSize, maxPageSize } = pageSizes;
  const pageTypes = pageTypesOf(schema);
  return ({ field, args, childComplexity, type: parentType }) => {
    const self = isCompositeType(getNamedType(field.type)) ? 1 : 0;
    if (isSized(field)) {
      const name = SIZE_ARGS.find((n) => typeof args[n] === 'number');
      const given = name ? (args[name] as number) : defaultPageSize;
      const size = Math.max(1, name === 'first' || name === 'last' ? Math.min(given, maxPageSize) : given);
      return size * (self + childComplexity);
    }
    if (isListType(getNullableType(field.type)) && !pageTypes.has(parentType)) return UNSIZED_LIST * (self + childComplexity);
    return self + childComplexity;
  };
}

const isSized = (field: GraphQLField<unknown, unknown>) => field.args.some((a) => (SIZE_ARGS as readonly string[]).includes(a.name));

/** Types returned by sized fields that are not lists themselves: connections and chunks. */
function pageTypesOf(schema: GraphQLSchema): Set<GraphQLNamedType> {
  const pages = new Set<GraphQLNamedType>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (isSized(field) && !isListType(getNullableType(field.type))) pages.add(getNamedType(field.type));
    }
  }
  return pages;
}
