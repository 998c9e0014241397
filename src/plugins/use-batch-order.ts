import { getOperationAST, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface BatchOrderOptions {
  /** Token limit for the extra parse of a batched operation's text (MAX_TOKENS). @default 5000 */
  maxTokens: number;
}

/**
 * graphql-yoga runs the operations of a batched request (a JSON array body) concurrently. So in
 * `[mutation, query]` the query may read before the mutation has committed, on the primary as on
 * a replica, and miss a write its own request made (a test saw it in about half of 30 batches).
 * Here each operation of a batch waits until every mutation before it in the batch has finished;
 * operations with no mutation before them start at once, as before, and requests of one
 * operation are not touched.
 *
 * The order is the order in which operations reach this hook, which is the batch's order: yoga
 * starts them one after the other, and every operation passes the same hooks before this one
 * (this plugin must come after any plugin that resolves persisted operations, so the text it
 * parses is the real one). A mutation signals when its handler returns, or, if an earlier hook
 * answered it without running it, when its result is processed, so nothing waits forever.
 */
export function useBatchOrder(options: BatchOrderOptions): Plugin {
  // Per batched request: the completions of the mutations that have arrived so far.
  const batches = new WeakMap<Request, Promise<void>[]>();
  // Per operation (its yoga context): what tells later operations that this mutation is done.
  const finishers = new WeakMap<object, () => void>();
  const isMutation = (query: unknown, operationName: string | null | undefined): boolean => {
    if (typeof query !== 'string') return false;
    try {
      return getOperationAST(parse(query, { noLocation: true, maxTokens: options.maxTokens }), operationName)?.operation === 'mutation';
    } catch {
      return false; // it fails on its own, as it would alone
    }
  };
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult) && requestParserResult.length > 1) batches.set(request, []);
        },
      };
    },
    onParams({ request, params, paramsHandler, setParamsHandler, context }) {
      const mutations = batches.get(request);
      if (!mutations) return;
      const before = [...mutations];
      // A batch entry may be anything (null, a number): yoga refuses it after this hook, with BAD_REQUEST.
      if (isMutation(params?.query, params?.operationName)) {
        mutations.push(new Promise<void>((resolve) => finishers.set(context, resolve)));
      }
      if (before.length === 0 && !finishers.has(context)) return;
      setParamsHandler(async (payload) => {
        await Promise.all(before);
        try {
          return await paramsHandler(payload);
        } finally {
          finishers.get(context)?.();
        }
      });
    },
    onExecutionResult({ context }) {
      finishers.get(context)?.();
    },
  };
}
