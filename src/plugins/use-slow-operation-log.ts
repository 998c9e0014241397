import { isAsyncIterable } from '@envelop/core';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { StrataContext } from '../context.ts';

export interface SlowOperationLogOptions {
  /** Operations whose execution takes longer than this many milliseconds get a warn line; 0 turns it off. @default 1000 (SLOW_OPERATION_MS) */
  thresholdMs: number;
}

/**
 * One `slow operation` log line (level warn) per operation slower than the threshold, with its
 * name, type, duration, error count and the request id and key name the context logger carries.
 * Variables are not logged: they may hold secrets or megabytes of output.
 */
export function useSlowOperationLog(options: SlowOperationLogOptions): Plugin<StrataContext> {
  if (options.thresholdMs === 0) return {};
  return {
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const ms = performance.now() - started;
          if (ms < options.thresholdMs || isAsyncIterable(result)) return;
          const op = getOperationAST(args.document, args.operationName);
          const ctx = args.contextValue as StrataContext;
          ctx.logger.warn({ operation: op?.name?.value ?? null, type: op?.operation, ms: Math.round(ms), errors: result.errors?.length ?? 0 }, 'slow operation');
        },
      };
    },
  };
}
