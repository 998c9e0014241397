import type { ErrorCode } from '../errors.ts';

/**
 * What strata/client throws: the gateway's `extensions.code` (BAD_USER_INPUT, NOT_FOUND,
 * UNAUTHENTICATED, ...), or NETWORK_ERROR when no GraphQL answer arrived at all (connection
 * refused, a proxy's HTML error page, a stream cut off).
 */
export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR';

/** One entry of a GraphQL response's `errors`. */
export interface GraphQLErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

export class StrataClientError extends Error {
  override readonly name = 'StrataClientError';
  /** The first error's `extensions.code`. */
  readonly code: ClientErrorCode;
  /** Its `extensions` (e.g. `requestId`, `resume` for SUBSCRIPTION_OVERFLOW). */
  readonly extensions: Record<string, unknown>;
  /** Every error of the response. */
  readonly errors: readonly GraphQLErrorEntry[];
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** Whatever data came with the errors (a partial result), else null. */
  readonly data: unknown;

  constructor(errors: readonly GraphQLErrorEntry[], status?: number, data: unknown = null, options?: { cause?: unknown }) {
    const first = errors[0] ?? { message: 'The gateway answered without data or errors.' };
    super(first.message, options);
    this.errors = errors;
    this.extensions = first.extensions ?? {};
    this.code = (typeof this.extensions['code'] === 'string' ? this.extensions['code'] : 'INTERNAL_SERVER_ERROR') as ClientErrorCode;
    this.status = status;
    this.data = data;
  }

  static network(message: string, status?: number, cause?: unknown): StrataClientError {
    return new StrataClientError([{ message, extensions: { code: 'NETWORK_ERROR' } }], status, null, { cause });
  }
}

/**
 * The errors of a refused request, or a NETWORK_ERROR when the body is not a GraphQL response.
 * A refused subscription (401 for a bad key) answers in its own format: one SSE `next` event.
 */
export async function errorOfResponse(response: Response): Promise<StrataClientError> {
  const text = await response.text().catch(() => '');
  const sse = /event-stream/.test(response.headers.get('content-type') ?? '');
  const candidates = sse ? text.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5)) : [text];
  for (const candidate of candidates) {
    try {
      const body = JSON.parse(candidate) as { errors?: GraphQLErrorEntry[]; data?: unknown };
      if (Array.isArray(body.errors) && body.errors.length > 0) return new StrataClientError(body.errors, response.status, body.data ?? null);
    } catch {
      // not JSON: try the next, else fall through
    }
  }
  return StrataClientError.network(`The gateway answered HTTP ${response.status} without a GraphQL response${text ? `: ${text.slice(0, 200)}` : ''}.`, response.status);
}
