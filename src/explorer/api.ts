import { useEffect, useRef, useState } from 'preact/hooks';
import { createStrataClient, StrataClientError, type Document } from '../client/index.ts';

const KEY_ITEM = 'strata.apiKey';

/**
 * The API key lives in sessionStorage: asked for once (when the gateway first answers 401), kept
 * for this tab until it closes, never written to localStorage or a cookie.
 */
let apiKey: string | null = sessionStorage.getItem(KEY_ITEM);
let version = 0;
let keyNeeded = false;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

// A gateway with PERSISTED_OPERATIONS_ONLY=true says so in the page (src/http/explorer-bundle.ts):
// every document is then sent by its manifest hash, which the gateway requires in that mode.
const persistedOperations = document.querySelector('meta[name="strata-persisted-operations"]')?.getAttribute('content') === 'only';

export const client = createStrataClient({ url: '/graphql', apiKey: () => apiKey, persistedOperations });

export function setApiKey(key: string): void {
  apiKey = key.trim() || null;
  if (apiKey) sessionStorage.setItem(KEY_ITEM, apiKey);
  else sessionStorage.removeItem(KEY_ITEM);
  keyNeeded = false;
  version++; // every query and subscription runs again with the new key
  notify();
}

export const askForKey = () => {
  keyNeeded = true;
  notify();
};

/** Re-renders on key changes; `version` goes into every query's dependencies. */
export function useAuth(): { version: number; keyNeeded: boolean; hasKey: boolean } {
  const [, force] = useState(0);
  useEffect(() => {
    const listener = () => force((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return { version, keyNeeded, hasKey: apiKey !== null };
}

/** A missing or wrong key asks for one; other errors are the caller's to show. */
export function noteError(error: unknown): StrataClientError {
  const e = error instanceof StrataClientError ? error : StrataClientError.network(String(error));
  if (e.code === 'UNAUTHENTICATED') askForKey();
  return e;
}

export interface QueryState<R> {
  data: R | null;
  error: StrataClientError | null;
  loading: boolean;
  refetch(): void;
}

/** Runs a generated query whenever its variables or the key change; keeps the last data while loading. */
export function useQuery<R, V>(document: Document<R, V>, variables: V, enabled = true): QueryState<R> {
  const { version: auth } = useAuth();
  const [state, setState] = useState<{ data: R | null; error: StrataClientError | null; loading: boolean }>({ data: null, error: null, loading: enabled });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    client.request(document, variables as never, { signal: abort.signal }).then(
      (data) => setState({ data: data as R, error: null, loading: false }),
      (err: unknown) => !abort.signal.aborted && setState((s) => ({ data: s.data, error: noteError(err), loading: false })),
    );
    return () => abort.abort();
  }, [key, auth, tick, enabled]);
  return { ...state, refetch: () => setTick((t) => t + 1) };
}

/**
 * `fn` at most once per `ms`, trailing: a burst of live changes (a busy worker, a thousand
 * evaluations finishing) costs one re-read instead of one per change.
 */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return () => {
    timer.current ??= setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  };
}

export type LiveState = 'connecting' | 'live' | 'ended' | 'retrying' | 'failed';

/**
 * Keeps a subscription open while mounted. `variables` is read at each (re)subscribe, so a
 * subscription that dropped resumes from the caller's latest cursor (afterId, fromSeq).
 * It is left on unmount; a finished evaluation's subscriptions end by themselves ('ended').
 */
export function useSubscription<R, V>(document: Document<R, V>, variables: () => V, onData: (data: R) => void, deps: unknown[], enabled = true): LiveState {
  const { version: auth } = useAuth();
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onData);
  handler.current = onData;
  useEffect(() => {
    if (!enabled) return;
    let leave = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const start = () => {
      setState('connecting');
      leave = client.subscribe(document, variables() as never, {
        next: (data) => {
          setState('live');
          handler.current(data as R);
        },
        connected: () => setState((s) => (s === 'connecting' || s === 'retrying' ? 'live' : s)),
        complete: () => setState('ended'),
        error: (err) => {
          const e = noteError(err);
          if (stopped || e.code === 'UNAUTHENTICATED' || e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND') return setState('failed');
          setState('retrying');
          timer = setTimeout(start, 2000);
        },
      });
    };
    start();
    return () => {
      stopped = true;
      clearTimeout(timer);
      leave();
    };
  }, [...deps, auth, enabled]);
  return state;
}
