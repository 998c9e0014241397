import type { Plugin } from 'graphql-yoga';
import { GraphQLError, Kind, type ExecutionArgs, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { handleStreamOrSingleExecutionResult, isAsyncIterable } from '@envelop/core';
import type { StrataContext } from '../context.ts';
import { isUnreachable } from '../backends/journal/unreachable.ts';
import { ErrorCode } from '../errors.ts';
import { requestIdOf } from '../http/request-id.ts';
import { claimMaskedError, withRequestId } from './mask-error.ts';

function hasCode(error: GraphQLError): boolean {
  return typeof error.extensions?.['code'] === 'string';
}

/** An error raised on purpose for the client: a GraphQLError all the way down, with a code. */
function isUserError(error: GraphQLError): boolean {
  let e: unknown = error;
  while (e instanceof GraphQLError && e.originalError) e = e.originalError;
  return e instanceof GraphQLError;
}

function withCode(error: GraphQLError, code: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code, ...extra },
  });
}

/**
 * Gives every error a machine-readable `extensions.code`, and masks the rest:
 * - parse and validation errors -> GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED;
 * - errors outside any field (variables that do not coerce) -> BAD_USER_INPUT;
 * - StrataErrors keep their code;
 * - a database that is not there (connection refused, reset, server shutting down) is UNAVAILABLE
 *   with a message saying so, for every operation the fallback journal cannot take;
 * - anything else is a bug or a backend failure: the client sees "Unexpected error." with the
 *   request id, and the log gets the full error with the same id.
 * Every error of an answer carries the request's `extensions.requestId` (requestIdOf: the
 * client's X-Request-Id or the id the gateway made), those raised before any context existed
 * (parse, validation, refused requests) too; errors over WebSocket get it only once the operation
 * has its context (see README, Security). Yoga's own masking stays on behind this as a safety net.
 */
export function useErrorCodes(): Plugin<StrataContext> {
  return {
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (result instanceof GraphQLError && !hasCode(result)) replaceParseResult(withCode(result, 'GRAPHQL_PARSE_FAILED'));
      };
    },
    onValidate() {
      return ({ result, setResult }) => {
        if (result.some((e) => !hasCode(e))) setResult(result.map((e) => (hasCode(e) ? e : withCode(e, 'GRAPHQL_VALIDATION_FAILED'))));
      };
    },
    onExecute({ args }) {
      const ctx = args.contextValue as StrataContext;
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            if (!result.errors?.length) return;
            const errors = variableErrors(args, result.errors) ?? result.errors;
            setResult({ ...result, errors: errors.map((e) => codeError(e, ctx)) } as ExecutionResult);
          });
        },
      };
    },
    onResultProcess({ request, result, setResult }) {
      if (isAsyncIterable(result)) return; // each event's errors got the context's id in onExecuteDone
      const results = Array.isArray(result) ? result : [result];
      if (!results.some((r) => r.errors?.length)) return;
      const requestId = requestIdOf(request);
      const tagged = results.map((r) => (r.errors?.length ? { ...r, errors: r.errors.map((e) => answerError(e, requestId)) } : r));
      setResult(Array.isArray(result) ? tagged : tagged[0]!);
    },
  };
}

/** Codes for refusals yoga's own plugins make without one (useCSRFPrevention's 403), by HTTP status. */
const CODE_OF_STATUS: Record<number, string> = { 401: ErrorCode.Unauthenticated, 403: ErrorCode.Forbidden, 413: ErrorCode.PayloadTooLarge };

/** An error as it goes into the answer: coded, with the request's id unless it has one (a masked error logged with its own). */
function answerError(error: GraphQLError, requestId: string): GraphQLError {
  if (!(error instanceof GraphQLError)) return error;
  const claimed = claimMaskedError(error, requestId);
  if (claimed) return claimed;
  if (!hasCode(error)) {
    const status = (error.extensions?.['http'] as { status?: number } | undefined)?.status ?? 400;
    return withCode(error, CODE_OF_STATUS[status] ?? 'BAD_REQUEST', { requestId });
  }
  return typeof error.extensions['requestId'] === 'string' ? error : withRequestId(error, requestId);
}

/**
 * Compiled execution (graphql-jit) reports a variable that does not coerce as just "Expected type
 * X", dropping the scalar's own message (which says what format to send). On that error path only,
 * coerce the variables again with graphql-js to get the full messages.
 */
function variableErrors(args: ExecutionArgs, errors: readonly GraphQLError[]): readonly GraphQLError[] | null {
  if (!errors.some((e) => !e.path && e.message.startsWith('Variable "'))) return null;
  const operation = args.document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!args.operationName || d.name?.value === args.operationName),
  );
  if (!operation) return null;
  const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Record<string, unknown>);
  return coerced.errors?.length ? coerced.errors : null;
}

function codeError(error: GraphQLError, ctx: StrataContext): GraphQLError {
  if (!error.path || isUserError(error)) return hasCode(error) ? withRequestId(error, ctx.requestId) : withCode(error, ErrorCode.BadUserInput, { requestId: ctx.requestId });
  if (isUnreachable(error.originalError)) {
    ctx.logger.warn({ err: error.originalError, path: error.path?.join('.') }, 'a backend is unreachable');
    return new GraphQLError('A database this needs is unreachable right now; retry when GET /ready answers 200.', {
      nodes: error.nodes,
      positions: error.positions,
      path: error.path,
      extensions: { code: ErrorCode.Unavailable, requestId: ctx.requestId, http: { status: 503 } },
    });
  }
  ctx.logger.error({ err: error.originalError ?? error, path: error.path?.join('.') }, 'unexpected error in resolver');
  return new GraphQLError('Unexpected error.', {
    nodes: error.nodes,
    positions: error.positions,
    path: error.path,
    extensions: { code: ErrorCode.Internal, requestId: ctx.requestId },
  });
}
