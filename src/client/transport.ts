import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { createClient as createSseClient, NetworkError, type RequestParams } from 'graphql-sse';
import { errorOfResponse, StrataClientError, type GraphQLErrorEntry } from './errors.ts';

/** A generated document (src/client/generated.ts): its text carries result and variable types. */
export type Document<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

/** Variables may be left out when the operation has none (or only optional ones). */
export type VariablesArg<V, Rest extends unknown[] = []> = {} extends V ? [variables?: V, ...rest: Rest] : [variables: V, ...rest: Rest];

export interface TransportOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** Sent as `Authorization: Bearer <key>`; a function is asked before every request. */
  apiKey?: string | null | (() => string | null | undefined);
  /** Extra headers on every request (e.g. `x-request-id`). */
  headers?: Record<string, string>;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Send each generated document by its hash, `extensions: { persistedQuery: { version: 1,
   * sha256Hash } }`, instead of its text: what a gateway with PERSISTED_OPERATIONS_ONLY=true runs.
   * The hash comes from codegen (`__meta__.hash` of src/client/generated.ts) and is the one in
   * persisted-documents.json. A document without one (query text of your own) is sent as text.
   * @default false
   */
  persistedOperations?: boolean;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`: a retry with the same key gets the first answer, no second effect. */
  idempotencyKey?: string;
}

export interface Sink<T> {
  next(value: T): void;
  /** A StrataClientError: the subscription has ended. */
  error?(error: StrataClientError): void;
  /** The server completed the subscription (e.g. the evaluation finished). */
  complete?(): void;
  /** The stream is open: changes from now on will arrive. */
  connected?(): void;
}

export interface Transport {
  request<R, V>(document: Document<R, V>, variables: V | undefined, options?: RequestOptions): Promise<R>;
  /** Returns the function that leaves the subscription. */
  subscribe<R, V>(document: Document<R, V>, variables: V | undefined, sink: Sink<R>): () => void;
  /** The same as an async iterator: `break` leaves; errors are thrown as StrataClientError. */
  iterate<R, V>(document: Document<R, V>, variables: V | undefined): AsyncGenerator<R, void, undefined>;
  /** The headers every request carries (Authorization), for the caller's own fetches (downloadUrl). */
  headers(): Record<string, string>;
  dispose(): void;
}

type Result = { data?: unknown; errors?: readonly GraphQLErrorEntry[] };

/** The manifest hash codegen put on a generated document, if it has one. */
const hashOf = (document: unknown): string | undefined => {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
};

export function createTransport(options: TransportOptions): Transport {
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headers = (): Record<string, string> => {
    const key = typeof options.apiKey === 'function' ? options.apiKey() : options.apiKey;
    return { ...options.headers, ...(key ? { authorization: `Bearer ${key}` } : {}) };
  };
  // Distinct connections (yoga's SSE mode). No retries: graphql-sse would resend the same
  // variables, so a log or event stream would repeat what it already delivered. Callers resume
  // from the last seq or event id they saw instead.
  const sse = createSseClient({ url: options.url, headers, fetchFn, retryAttempts: 0 });
  // The request body: the text, or only the hash (yoga refuses a persisted request that has both).
  // graphql-sse posts whatever it is given as JSON, so a body without `query` is fine there too.
  const params = (document: unknown, variables: unknown): RequestParams => {
    const hash = options.persistedOperations ? hashOf(document) : undefined;
    const vars = (variables ?? {}) as Record<string, unknown>;
    if (!hash) return { query: String(document), variables: vars };
    return { variables: vars, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } as Omit<RequestParams, 'query'> as RequestParams;
  };

  return {
    async request(document, variables, requestOptions = {}) {
      let response: Response;
      try {
        response = await fetchFn(options.url, {
          method: 'POST',
          headers: {
            ...headers(),
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            ...(requestOptions.idempotencyKey ? { 'idempotency-key': requestOptions.idempotencyKey } : {}),
          },
          body: JSON.stringify(params(document, variables)),
          signal: requestOptions.signal ?? null,
        });
      } catch (cause) {
        throw StrataClientError.network(`Could not reach ${options.url}: ${(cause as Error).message}`, undefined, cause);
      }
      const type = response.headers.get('content-type') ?? '';
      if (!/json/.test(type)) throw await errorOfResponse(response);
      const body = (await response.json().catch(() => null)) as Result | null;
      if (!body) throw StrataClientError.network(`The gateway answered HTTP ${response.status} with unreadable JSON.`, response.status);
      if (body.errors?.length || body.data == null) throw new StrataClientError(body.errors ?? [], response.status, body.data ?? null);
      return body.data as never;
    },

    subscribe(document, variables, sink) {
      let ended = false;
      const end = (error?: StrataClientError) => {
        if (ended) return;
        ended = true;
        leave();
        if (error) sink.error?.(error);
        else sink.complete?.();
      };
      const leave = sse.subscribe<Record<string, unknown>>(
        params(document, variables),
        {
          next: (result: Result) => {
            if (ended) return;
            if (result.errors?.length) return end(new StrataClientError(result.errors, 200, result.data ?? null));
            sink.next(result.data as never);
          },
          error: (err) => void toClientError(err).then(end),
          complete: () => end(),
        },
        { connected: () => void (ended || sink.connected?.()) },
      );
      return () => {
        ended = true;
        leave();
      };
    },

    async *iterate(document, variables) {
      const results = sse.iterate<Record<string, unknown>>(params(document, variables));
      try {
        for await (const result of results as AsyncIterable<Result>) {
          if (result.errors?.length) throw new StrataClientError(result.errors, 200, result.data ?? null);
          yield result.data as never;
        }
      } catch (err) {
        throw await toClientError(err);
      } finally {
        await results.return?.();
      }
    },

    headers,
    dispose: () => sse.dispose(),
  };
}

async function toClientError(err: unknown): Promise<StrataClientError> {
  if (err instanceof StrataClientError) return err;
  if (err instanceof NetworkError && err.response) return errorOfResponse(err.response as Response);
  if (Array.isArray(err)) return new StrataClientError(err as GraphQLErrorEntry[]); // graphql-sse hands GraphQL errors as a list
  return StrataClientError.network(err instanceof Error ? err.message : String(err), undefined, err);
}
