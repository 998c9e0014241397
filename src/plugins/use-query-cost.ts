import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';
import { pageSizeEstimator } from './cost-estimator.ts';

export interface QueryCostOptions {
  /** Largest cost an operation may have. @default 50000 (MAX_QUERY_COST) */
  maxCost: number;
  /** Page size assumed for a page whose size argument is omitted. @default 50 (DEFAULT_PAGE_SIZE) */
  defaultPageSize: number;
  /** Largest `first` / `last` the resolvers accept; larger ones count as this. @default 500 (MAX_PAGE_SIZE) */
  maxPageSize: number;
}

function costError(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `This operation costs ${cost}, more than the limit of ${maxCost} (MAX_QUERY_COST). Each object counts 1, times the page size of every list around it (first, last, limit or tail; DEFAULT_PAGE_SIZE when omitted): ask for smaller pages or fewer nested lists.`,
    { extensions: { code: ErrorCode.BadUserInput, cost, limit: maxCost, http: { status: 400 } } },
  );
}

/**
 * Refuses operations whose estimated cost is above `maxCost` before they run (graphql-query-complexity
 * with pageSizeEstimator). It runs at execution, not validation, because the cost depends on
 * variables (`first: $n`) and yoga caches validation per document; a document without variables
 * is costed once and remembered.
 */
export function useQueryCost(options: QueryCostOptions): Plugin {
  const estimators = new WeakMap<GraphQLSchema, ComplexityEstimator[]>();
  const estimatorsFor = (schema: GraphQLSchema) => {
    let found = estimators.get(schema);
    if (!found) estimators.set(schema, (found = [pageSizeEstimator(schema, options)]));
    return found;
  };
  const constantCost = new WeakMap<DocumentNode, number>();

  const costOf = (args: ExecutionArgs): number | null => {
    const known = constantCost.get(args.document);
    if (known !== undefined) return known;
    try {
      const cost = getComplexity({ schema: args.schema, query: args.document, operationName: args.operationName ?? undefined, variables: args.variableValues ?? {}, estimators: estimatorsFor(args.schema) });
      const usesVariables = args.document.definitions.some((d) => 'variableDefinitions' in d && (d.variableDefinitions?.length ?? 0) > 0);
      if (!usesVariables) constantCost.set(args.document, cost);
      return cost;
    } catch {
      return null; // variables that do not coerce: execution reports that with a better message
    }
  };
  const check = (args: ExecutionArgs, stop: (result: { errors: GraphQLError[] }) => void) => {
    const cost = costOf(args);
    if (cost !== null && cost > options.maxCost) stop({ errors: [costError(cost, options.maxCost)] });
  };
  return {
    onExecute: ({ args, setResultAndStopExecution }) => check(args, setResultAndStopExecution),
    onSubscribe: ({ args, setResultAndStopExecution }) => check(args, setResultAndStopExecution),
  };
}

