import { requestParts, type StrataContext } from '../context.ts';
import type { EvaluationRecord } from '../domain/evaluation.ts';
import { getArgumentValues, GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { SubscriptionInterruptedError, SubscriptionOverflowError, type StrataError } from '../errors.ts';
import { OVERFLOW, type Overflow } from './bounded-queue.ts';
import type { Live } from './feed.ts';

/**
 * What a stream yields in place of a value when it must end because its subscriber may have missed
 * changes: the subscription field's resolver throws the error, so the client gets a GraphQL error
 * with a code (on SSE and WebSocket alike) and then the subscription completes.
 */
export class Interrupted {
  constructor(readonly error: StrataError) {}
}

export function overflowed(ctx: StrataContext, resume: Record<string, unknown>): Interrupted {
  return new Interrupted(new SubscriptionOverflowError(ctx.config.subscriptions.buffer, resume));
}

export function interrupted(): Interrupted {
  return new Interrupted(new SubscriptionInterruptedError());
}

export function isOverflow(value: unknown): value is Overflow {
  return value === OVERFLOW;
}

/**
 * Awaits the live subscription, then runs `check` (NOT_FOUND and argument errors): an error here
 * fails the subscribe itself, which both transports report as an error before any event. The
 * live side is opened first so that nothing committed after the check can be missed.
 */
export async function opened<T, R>(live: Live<T>, check: () => Promise<R>): Promise<R> {
  try {
    await live.ready;
    return await check();
  } catch (err) {
    void live.queue.return();
    throw err;
  }
}

/**
 * The stream a subscribe function returns. An async generator's return() waits until the generator
 * reaches its next `yield`, which for a subscription waiting on a quiet topic may be never, so a
 * client that leaves would keep its inbox and listener. Here leaving ends the inbox first: its
 * pending next() resolves as done, and the generator runs its cleanup and finishes on its own.
 */
export function leavable<T>(generator: AsyncGenerator<T>, inbox: { return(): Promise<unknown> }): AsyncIterableIterator<T> {
  return {
    next: () => generator.next(),
    async return(value?: unknown) {
      await inbox.return();
      return generator.return(value as T);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * A subscription's start, with user errors (NOT_FOUND, BAD_USER_INPUT) made HTTP-neutral: yoga
 * would answer an SSE request whose only result is an error with that error's HTTP status, which
 * SSE clients (graphql-sse) take for a broken connection. Without it the client gets 200, the
 * error as a `next` event with its code, and `complete`, as over WebSocket.
 */
export async function starting<T>(start: Promise<T>): Promise<T> {
  try {
    return await start;
  } catch (err) {
    if (!(err instanceof GraphQLError) || !err.extensions['http']) throw err;
    const { http: _status, ...extensions } = err.extensions;
    throw new GraphQLError(err.message, { extensions, originalError: err });
  }
}

/**
 * The subscription field's own arguments, computed from `info`. graphql-jit (when a plugin compiles
 * execution with it) hands a subscribe function the operation's variables instead of the field's
 * arguments, so a literal argument or a variable of another name would be lost; this reads them
 * as graphql-js does, whichever executor runs.
 */
export function fieldArgs<A>(info: GraphQLResolveInfo): A {
  const field = info.parentType.getFields()[info.fieldName]!;
  return getArgumentValues(field, info.fieldNodes[0]!, info.variableValues) as A;
}

/**
 * Called by each subscription field's resolver for every event: the delivery gets new loaders and
 * services (so nested fields read the state after the change, batched per delivery, never a value a
 * previous delivery cached), and a stream's Interrupted becomes the field's error.
 */
export function delivered<T>(ctx: StrataContext, value: T | Interrupted): T {
  if (value instanceof Interrupted) throw value.error;
  Object.assign(ctx, requestParts(ctx));
  return value;
}

/** `delivered`, and the evaluation primed into the new loader: nested fields need not read it again. */
export function deliveredEvaluation(ctx: StrataContext, value: EvaluationRecord | Interrupted): EvaluationRecord {
  const evaluation = delivered(ctx, value);
  ctx.loaders.evaluation.prime(evaluation.id, evaluation);
  return evaluation;
}
