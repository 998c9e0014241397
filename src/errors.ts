import { GraphQLError } from 'graphql';

/**
 * Error codes a client can act on. Anything else that reaches a client is masked as
 * INTERNAL_SERVER_ERROR ("Unexpected error.") and logged with the request id.
 */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  InvalidTransition: 'INVALID_TRANSITION',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  Unavailable: 'UNAVAILABLE',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  RateLimited: 'RATE_LIMITED',
  SubscriptionOverflow: 'SUBSCRIPTION_OVERFLOW',
  SubscriptionInterrupted: 'SUBSCRIPTION_INTERRUPTED',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const httpStatus: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  SUBSCRIPTION_OVERFLOW: 503,
  SUBSCRIPTION_INTERRUPTED: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** A user error: its message is written for the person who sent the request. */
export class StrataError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    // `http.status` is used by yoga only when the request fails as a whole (no data at all);
    // a field error inside a partial result keeps HTTP 200, as GraphQL over HTTP expects.
    super(message, { extensions: { code, ...extensions, http: { status: httpStatus[code] } } });
    this.code = code;
    this.name = 'StrataError';
  }
}

export class BadUserInputError extends StrataError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.BadUserInput, message, extensions);
  }
}

export class NotFoundError extends StrataError {
  constructor(what: string, id: string) {
    super(ErrorCode.NotFound, `${what} "${id}" does not exist.`, { id });
  }
}

export class ConflictError extends StrataError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.Conflict, message, extensions);
  }
}

export class InvalidTransitionError extends StrataError {
  constructor(id: string, from: string, to: string) {
    super(
      ErrorCode.InvalidTransition,
      `Evaluation "${id}" cannot go from ${from} to ${to}. Allowed: QUEUED -> RUNNING | CANCELLED, ` +
        'RUNNING -> COMPLETED | FAILED | CANCELLED | TIMEOUT; a finished evaluation is not reopened.',
      { id, from, to },
    );
  }
}

export class PayloadTooLargeError extends StrataError {
  constructor(field: string, limit: number, setting: string) {
    super(ErrorCode.PayloadTooLarge, `${field} is larger than ${limit} bytes, the limit (${setting}).`, { field, limit });
  }
}

/** An operation that needs a backend that is down right now; the client may retry later. */
export class UnavailableError extends StrataError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.Unavailable, message, extensions);
  }
}

/** No API key, or one the gateway does not know: the caller is not identified. */
export class UnauthenticatedError extends StrataError {
  constructor(message = 'This needs an API key: send "Authorization: Bearer <key>".') {
    super(ErrorCode.Unauthenticated, message);
  }
}

/** A known API key without the scope the field needs. */
export class ForbiddenError extends StrataError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.Forbidden, message, extensions);
  }
}

/** The caller's token bucket is empty; `retryAfterSeconds` says when one more request fits. */
export class RateLimitedError extends StrataError {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RateLimited, `Too many requests for this API key; retry after ${retryAfterSeconds} s.`, { retryAfterSeconds });
    // Yoga copies these headers onto the HTTP response when the whole request failed.
    (this.extensions['http'] as Record<string, unknown>)['headers'] = { 'retry-after': String(retryAfterSeconds) };
  }
}

/**
 * A subscriber fell further behind than SUBSCRIPTION_BUFFER changes: its subscription ends with this
 * error instead of holding memory without bound. `resume` holds the arguments that continue it
 * without a gap (fromSeq, after), so the client resubscribes with them.
 */
export class SubscriptionOverflowError extends StrataError {
  constructor(limit: number, resume: Record<string, unknown>) {
    super(ErrorCode.SubscriptionOverflow, `This subscription fell more than ${limit} changes behind (SUBSCRIPTION_BUFFER) and was ended; subscribe again with the arguments in extensions.resume.`, { limit, resume });
  }
}

/**
 * The gateway may have missed changes that a subscription without a resume point cannot recover
 * (runningEvaluations after this process lost its Redis subscriber connection): it ends, and the
 * client subscribes again and re-reads the list with the runningEvaluations query.
 */
export class SubscriptionInterruptedError extends StrataError {
  constructor() {
    super(ErrorCode.SubscriptionInterrupted, 'Changes may have been missed while the gateway reconnected to Redis; subscribe again, then query runningEvaluations.');
  }
}

/** The code a failure is reported with (audit outcomes, metrics): a StrataError's, else INTERNAL_SERVER_ERROR. */
export function errorCodeOf(err: unknown): ErrorCode {
  return err instanceof StrataError ? err.code : ErrorCode.Internal;
}

/**
 * A configuration or start-up problem. The CLI prints its message as one line and exits non-zero;
 * it is never sent to a GraphQL client.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/**
 * A backend failure: says which backend and what it was doing, keeps the driver's error as cause.
 * Never shown to clients (it is masked), always logged.
 */
export class BackendError extends Error {
  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super(`[${backend}] ${message}`, options);
    this.name = 'BackendError';
  }
}
