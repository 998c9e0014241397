import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { getOperationAST, GraphQLError, Kind, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
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

/** Variable values a cost can depend on: page sizes (Int) and @include/@skip conditions (Boolean). */
const COST_TYPES = new Set(['Int', 'Boolean']);
/** Distinct variable values remembered per document (a page size picked by users varies little). */
const MAX_KEYS_PER_DOCUMENT = 64;

/**
 * What the cost of an execution depends on besides its document: the operation name and the
 * values of its Int and Boolean variables (pageSizeEstimator reads only first/last/limit/tail,
 * graphql-query-complexity only @include/@skip besides). An id or a filter string never changes
 * a cost, so W1's `evaluation(id: $id)` is costed once. Null when a value is not a plain scalar.
 */
function costKey(args: ExecutionArgs): string | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation) return null;
  let key = args.operationName ?? '';
  for (const definition of operation.variableDefinitions ?? []) {
    let type = definition.type;
    let list = false;
    while (type.kind !== Kind.NAMED_TYPE) {
      list ||= type.kind === Kind.LIST_TYPE;
      type = type.type;
    }
    if (!COST_TYPES.has(type.name.value)) continue;
    if (list) return null;
    const value = (args.variableValues as Record<string, unknown> | null | undefined)?.[definition.variable.name.value];
    if (value !== undefined && value !== null && typeof value !== 'number' && typeof value !== 'boolean') return null;
    key += `|${String(value)}`;
  }
  return key;
}

function remember(costs: WeakMap<DocumentNode, Map<string, number>>, document: DocumentNode, key: string, cost: number): void {
  let byKey = costs.get(document);
  if (!byKey) costs.set(document, (byKey = new Map()));
  if (byKey.size >= MAX_KEYS_PER_DOCUMENT) byKey.delete(byKey.keys().next().value!);
  byKey.set(key, cost);
}

/**
 * Refuses operations whose estimated cost is above `maxCost` before they run (graphql-query-complexity
 * with pageSizeEstimator). It runs at execution, not validation, because the cost depends on
 * variables (`first: $n`) and yoga caches validation per document; a document without variables
 * is costed once per distinct value of the variables a cost can depend on (costKey).
 */
export function useQueryCost(options: QueryCostOptions): Plugin {
  const estimators = new WeakMap<GraphQLSchema, ComplexityEstimator[]>();
  const estimatorsFor = (schema: GraphQLSchema) => {
    let found = estimators.get(schema);
    if (!found) estimators.set(schema, (found = [pageSizeEstimator(schema, options)]));
    return found;
  };
  const costs = new WeakMap<DocumentNode, Map<string, number>>();

  const costOf = (args: ExecutionArgs): number | null => {
    const key = costKey(args);
    const known = key === null ? undefined : costs.get(args.document)?.get(key);
    if (known !== undefined) return known;
    try {
      const cost = getComplexity({ schema: args.schema, query: args.document, operationName: args.operationName ?? undefined, variables: args.variableValues ?? {}, estimators: estimatorsFor(args.schema) });
      // Only costs within the limit are kept: a refusal is rare and recomputed, and a request
      // whose other variables do not coerce (getComplexity throws) is never cached.
      if (key !== null && cost <= options.maxCost) remember(costs, args.document, key, cost);
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

