import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type YogaServerOptions } from 'graphql-yoga';
import type { Logger } from '../logger.ts';

type MaskError = NonNullable<Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>['maskError']>;

/**
 * Yoga's masking of errors that happen outside any field (a plugin, the context, a backend a
 * plugin calls: useErrorCodes masks those inside fields), with two changes: never the original
 * error in the answer, not even with NODE_ENV=development; and a `requestId` in it, logged with
 * the cause, so a client's report leads to the log line. Yoga's masking hook is not given the
 * request, so the id is made here, for this error.
 */
export function maskUnexpectedError(logger: Logger): MaskError {
  return (error, message) => {
    const masked = yogaMaskError(error, message, false);
    if (masked === error || !(masked instanceof GraphQLError)) return masked;
    const requestId = randomUUID();
    logger.error({ err: error, requestId }, 'unexpected error outside a resolver (masked)');
    // Yoga answers 500 for `unexpected` (and leaves that flag out of the answer): it stays.
    return new GraphQLError(masked.message, { nodes: masked.nodes, source: masked.source, positions: masked.positions, path: masked.path, extensions: { ...masked.extensions, requestId } });
  };
}
