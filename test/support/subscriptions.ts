import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { testConfig, type Config } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { configFor, silentLogger } from './app.ts';
import { eventually } from './eventually.ts';
import { deleteKeysUnder, TEST_REDIS_URL, testKeyPrefix } from './redis.ts';
import type { RunningTarget } from './running.ts';

/** The two transports every subscription test runs over, with the real client libraries. */
export type Transport = 'sse' | 'ws';
export const TRANSPORTS: readonly Transport[] = ['sse', 'ws'];

export interface Received<T = any> {
  /** Results in arrival order (a result may carry `errors`). */
  results: { data?: T | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[];
  /** Resolves when the server completes the subscription; rejects on a transport error. */
  done: Promise<void>;
  completed: boolean;
  /** Waits until at least `n` results arrived (or the subscription ended). */
  atLeast(n: number): Promise<void>;
  /** Leaves: the client disconnects. */
  leave(): void;
}

export interface SubscriptionClient {
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): Received<T>;
  close(): Promise<void>;
}

/** A graphql-sse (distinct connections) or graphql-ws client on `url`. Nothing is retried. */
export function subscriptionClient(transport: Transport, url: string, headers: Record<string, string> = {}): SubscriptionClient {
  if (transport === 'sse') {
    const client = createSseClient({ url, retryAttempts: 0, headers });
    return { subscribe: (query, variables) => receive((sink) => client.subscribe({ query, variables }, sink)), close: async () => void client.dispose() };
  }
  const client = createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: headers });
  return { subscribe: (query, variables) => receive((sink) => client.subscribe({ query, variables }, sink)), close: async () => void (await client.dispose()) };
}

type Sink = { next(value: any): void; error(err: unknown): void; complete(): void };

function receive<T>(start: (sink: Sink) => () => void): Received<T> {
  const received = { results: [] as Received<T>['results'], completed: false } as Received<T>;
  let ended = false;
  received.done = new Promise<void>((resolve, reject) => {
    const dispose = start({
      next: (value) => received.results.push(value),
      error: (err) => ((ended = true), reject(err instanceof Error ? err : new Error(JSON.stringify(err)))),
      complete: () => ((ended = true), (received.completed = true), resolve()),
    });
    received.leave = () => ((ended = true), dispose());
  });
  received.done.catch(() => {});
  received.atLeast = async (n) => void (await eventually(`${n} results (have ${received.results.length})`, async () => (received.results.length >= n || ended ? true : undefined)));
  return received;
}

/** The `data` of each result, for one root field. */
export function values<T = any>(received: Received, field: string): T[] {
  return received.results.map((r) => (r.data as Record<string, T> | null | undefined)?.[field]).filter((v): v is T => v != null);
}

export interface TestServer extends RunningServer {
  config: Config;
  /** POST a query or mutation over HTTP. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** A real HTTP server (startServer) on a free loopback port, for the real clients. */
export async function startTestServer(config: Config, cleanup: () => Promise<void> = async () => {}): Promise<TestServer> {
  const running = await startServer({ ...config, port: 0, host: '127.0.0.1' }, silentLogger);
  return {
    ...running,
    config,
    gql: (query, variables) => postGraphql(running.url, query, variables),
    async close() {
      await running.close();
      await cleanup();
    },
  };
}

export async function memoryServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const { config, cleanup } = await configFor('memory', overrides);
  return startTestServer(config, cleanup);
}

export async function postGraphql<T = any>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

/**
 * A real server on `target` (see running.ts): with Redis, a KEY_PREFIX of its own (deleted on
 * close) and `redisUrl` (the shared test Redis unless a test brings its own server).
 */
export async function serverFor(target: RunningTarget, overrides: Partial<Config> = {}, redisUrl = TEST_REDIS_URL): Promise<TestServer & { keyPrefix: string | null }> {
  if (target !== 'postgres+redis') {
    const { config, cleanup } = await configFor(target, overrides);
    return { ...(await startTestServer(config, cleanup)), keyPrefix: null };
  }
  const keyPrefix = testKeyPrefix();
  const { config, cleanup } = await configFor('postgres', { ...overrides, platform: { ...testConfig().platform, redisUrl, keyPrefix } });
  const server = await startTestServer(config, async () => {
    await cleanup();
    if (redisUrl === TEST_REDIS_URL) await deleteKeysUnder(keyPrefix);
  });
  return { ...server, keyPrefix };
}
