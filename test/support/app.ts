import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import pino, { type Logger } from 'pino';
import { createRegistry, type Registry } from '../../src/backends/registry.ts';
import { testConfig, type Config } from '../../src/config.ts';
import type { StrataYoga } from '../../src/yoga.ts';
import { createStrataYoga } from '../../src/yoga.ts';
import { API_KEYS_ENV, bearer, KEYS, withKeys } from './keys.ts';
import { createTestSchema, TEST_DATABASE_URL } from './postgres.ts';

export const silentLogger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });

/** A logger whose lines (from `level` up) are kept, parsed, in `lines`: for tests of what is logged. */
export function capturingLogger(level: pino.LevelWithSilent = 'info'): { logger: Logger; lines: Record<string, any>[] } {
  const lines: Record<string, any>[] = [];
  return { logger: pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) }), lines };
}

export type BackendName = 'memory' | 'pglite' | 'postgres';

/** A config for one backend; postgres gets a fresh schema, dropped by the returned cleanup. */
export async function configFor(
  backend: BackendName,
  overrides: Partial<Config> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<{ config: Config; cleanup: () => Promise<void> }> {
  if (backend === 'memory') return { config: testConfig(overrides, env), cleanup: async () => {} };
  if (backend === 'pglite') return { config: testConfig({ storage: { kind: 'pglite', dataDir: null }, ...overrides }, env), cleanup: async () => {} };
  const schema = await createTestSchema();
  return {
    config: testConfig({ storage: { kind: 'postgres', url: TEST_DATABASE_URL, schema: schema.name, poolMax: 5 }, ...overrides }, env),
    cleanup: () => schema.drop(),
  };
}

export interface TestApp {
  config: Config;
  registry: Registry;
  yoga: StrataYoga;
  /** POST /graphql in-process; returns the parsed JSON body and the HTTP status. */
  gql<T = any, V = Record<string, unknown>>(
    query: string | TypedDocumentNode<T, V>,
    variables?: V,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: { data?: T; errors?: any[] } }>;
  close(): Promise<void>;
}

export async function createTestApp(
  backend: BackendName = 'memory',
  overrides: Partial<Config> = {},
  logger: Logger = silentLogger,
  env: NodeJS.ProcessEnv = {},
): Promise<TestApp> {
  const keysEnv = withKeys && env['STRATA_API_KEYS'] === undefined ? { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' } : {};
  const { config, cleanup } = await configFor(backend, overrides, { ...keysEnv, ...env });
  const auth = 'STRATA_API_KEYS' in keysEnv ? bearer(KEYS.admin) : {};
  const registry = await createRegistry(config, logger, { migrate: true });
  const yoga = createStrataYoga({ config, registry, logger });
  return {
    config,
    registry,
    yoga,
    async gql(query, variables, headers = {}) {
      const res = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...auth, ...headers },
        body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    async close() {
      await registry.close();
      await cleanup();
    },
  };
}
