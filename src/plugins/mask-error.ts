import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type YogaServerOptions } from 'graphql-yoga';
import type { Logger } from '../logger.ts';

type MaskError = NonNullable<Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>['maskError']>;

/** Masked errors whose log line waits for the answer they go into (see claimMaskedError). */
const unlogged = new WeakMap<GraphQLError, { log(requestId: string): void; fallback: NodeJS.Immediate }>();

/** A copy of `e` with `extensions.requestId` (errors may be cached and shared by requests: never changed in place). */
export const withRequestId = (e: GraphQLError, requestId: string) =>
  new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, originalError: e.originalError, extensions: { ...e.extensions, requestId } });

/**
 * Yoga's masking of errors that happen outside any field (a plugin, the context, a backend a
 * plugin calls: useErrorCodes masks those inside fields), with two changes: never the original
 * error in the answer, not even with NODE_ENV=development; and a `requestId` in it, logged with
 * the cause, so a client's report leads to the log line.
 *
 * Yoga's masking hook is not given the request, so the log line waits: useErrorCodes claims the
 * error as it processes the answer (claimMaskedError) and logs it with the request's id. An error
 * no answer claims in this turn of the event loop (one inside a stream, or in a batch still
 * waiting for its other operations) is logged with an id of its own, which it then keeps: the id
 * a client sees is always the one in the log.
 */
export function maskUnexpectedError(logger: Logger): MaskError {
  return (error, message) => {
    const masked = yogaMaskError(error, message, false);
    if (masked === error || !(masked instanceof GraphQLError)) return masked;
    const own = randomUUID();
    // Yoga answers 500 for `unexpected` (and leaves that flag out of the answer): it stays.
    const answer = withRequestId(masked, own);
    const log = (requestId: string) => logger.error({ err: error, requestId }, 'unexpected error outside a resolver (masked)');
    const fallback = setImmediate(() => unlogged.delete(answer) && log(own));
    unlogged.set(answer, { log, fallback });
    return answer;
  };
}

/** A masked error not logged yet, logged now with `requestId` and carrying it; null for any other error. */
export function claimMaskedError(error: GraphQLError, requestId: string): GraphQLError | null {
  const entry = unlogged.get(error);
  if (!entry) return null;
  unlogged.delete(error);
  clearImmediate(entry.fallback);
  entry.log(requestId);
  return withRequestId(error, requestId);
}
