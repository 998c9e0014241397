import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the read router knows about the GraphQL request a statement belongs to. It travels with the
 * request's async work (AsyncLocalStorage), so the stores shared by every request need no extra
 * parameter. Only requests the read-routing plugin starts have one: every statement outside a
 * session (subscriptions, REST, background jobs, tests calling stores directly) goes to the
 * primary.
 */
export interface ReadSession {
  /** Set for a mutation, and kept for the rest of its HTTP request: every statement goes to the primary. */
  primaryOnly: boolean;
  /** The request's `x-strata-consistency` token: reads need a replica that has replayed this far. */
  token: bigint | null;
  /** Who is asking (the API key's name, '' when open): reads within the write window go to the primary. */
  caller: string;
  /** Statements sent to the primary while this session ran (a mutation with any gets a token). */
  primaryStatements: number;
  /** Where this request's reads go, decided at its first read and kept (null: the primary). */
  target: Promise<number | null> | null;
}

const storage = new AsyncLocalStorage<ReadSession>();

export function newSession(caller: string, token: bigint | null, primaryOnly: boolean): ReadSession {
  return { primaryOnly, token, caller, primaryStatements: 0, target: null };
}

export function currentSession(): ReadSession | undefined {
  return storage.getStore();
}

export function runInSession<T>(session: ReadSession, fn: () => T): T {
  return storage.run(session, fn);
}

/** Runs `fn` with every statement on the primary (a cache fill must never read a stale replica). */
export function onPrimary<T>(fn: () => T): T {
  return storage.exit(fn);
}
