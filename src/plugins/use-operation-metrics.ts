import { isAsyncIterable } from '@envelop/core';
import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { metrics, operationLabel } from '../observability/metrics.ts';

/** `ok`, or the code of the first error (GraphQL codes are a small fixed set, so labels stay bounded). */
function outcome(errors: readonly GraphQLError[] | undefined): string {
  const code = errors?.[0]?.extensions?.['code'];
  if (!errors?.length) return 'ok';
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'error';
}

/**
 * Prometheus metrics of GraphQL operations: strata_graphql_operations_total and
 * strata_graphql_operation_duration_seconds by operation name, type and outcome (documents that
 * fail to parse or validate are counted too, with those outcomes), and the active-subscriptions
 * gauge. Envelop hooks only, so a fast path through `yoga.getEnveloped` is measured the same way.
 */
export function useOperationMetrics(): Plugin {
  return {
    onParse() {
      return ({ result }) => {
        if (result instanceof Error) metrics.operations.inc({ operation: '(unparsed)', type: 'unknown', outcome: 'GRAPHQL_PARSE_FAILED' });
      };
    },
    onValidate({ params }) {
      return ({ valid }) => {
        if (valid) return;
        const op = getOperationAST(params.documentAST);
        metrics.operations.inc({ operation: operationLabel(op?.name?.value), type: op?.operation ?? 'unknown', outcome: 'GRAPHQL_VALIDATION_FAILED' });
      };
    },
    onExecute({ args }) {
      const started = performance.now();
      const op = getOperationAST(args.document, args.operationName);
      const labels = { operation: operationLabel(op?.name?.value), type: op?.operation ?? 'unknown' };
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const done = { ...labels, outcome: outcome(result.errors) };
          metrics.operations.inc(done);
          metrics.duration.observe(done, (performance.now() - started) / 1000);
        },
      };
    },
    onSubscribe({ args }) {
      const op = getOperationAST(args.document, args.operationName);
      const labels = { operation: operationLabel(op?.name?.value), type: 'subscription' };
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return void metrics.operations.inc({ ...labels, outcome: outcome(result.errors) });
          metrics.operations.inc({ ...labels, outcome: 'ok' });
          metrics.activeSubscriptions.inc();
          return { onEnd: () => metrics.activeSubscriptions.dec() };
        },
      };
    },
  };
}
