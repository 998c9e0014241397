import { z } from 'zod';
import { bool, int } from './config-values.ts';
import { loadApiKeys, type ApiKey } from './auth/api-keys.ts';

/**
 * Environment variables of access control, request limits and operations (issue 7). config.ts
 * merges them into its schema, so they are validated, named in errors and documented like the rest.
 */
export const securityEnv = {
  NODE_ENV: z.string().optional(),
  STRATA_API_KEYS: z.string().optional(),
  STRATA_API_KEYS_FILE: z.string().min(1).optional(),
  STRATA_ALLOW_OPEN: bool.default('false'),
  INTROSPECTION: bool.optional(),
  CORS_ORIGINS: z.string().optional(),
  PERSISTED_OPERATIONS_ONLY: bool.default('false'),
  PERSISTED_OPERATIONS_FILE: z.string().min(1).default('persisted-documents.json'),
  MAX_QUERY_DEPTH: int(1, 1000).default(15),
  MAX_QUERY_COST: int(1).default(50_000),
  MAX_ALIASES: int(0, 10_000).default(100),
  MAX_DIRECTIVES: int(0, 10_000).default(50),
  MAX_TOKENS: int(1).default(5000),
  MAX_BATCH_SIZE: int(0, 1000).default(10),
  MAX_REQUEST_BYTES: int(1).default(32 * 1024 * 1024),
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(100),
  RATE_LIMIT_BURST: int(1).default(200),
  SLOW_OPERATION_MS: int(0).default(1000),
};

const securitySchema = z.object(securityEnv);
type SecurityEnv = z.infer<typeof securitySchema>;

/** Limits on what one request may ask; GraphQL Armor and graphql-query-complexity enforce them. */
export interface QueryLimits {
  maxDepth: number;
  /** Lists count by their page size (first/last/limit/tail, else DEFAULT_PAGE_SIZE). */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Operations in one batched request; 0 turns batching off. */
  maxBatch: number;
  maxRequestBytes: number;
}

export interface SecurityConfig {
  /** Empty: the gateway runs open, which server.ts allows only on a loopback address or with allowOpen. */
  keys: ApiKey[];
  allowOpen: boolean;
  /** NODE_ENV=production: no introspection or GraphiQL unless INTROSPECTION=true, no field suggestions. */
  production: boolean;
  introspection: boolean;
  /** Origins browsers may call from; empty means same-origin only, ['*'] any. */
  corsOrigins: string[];
  persistedOnly: boolean;
  persistedFile: string;
  query: QueryLimits;
  /** Per key (or per anonymous caller), in operations; perSecond 0 turns it off. */
  rateLimit: { perSecond: number; burst: number };
  slowOperationMs: number;
}

export function securityConfig(e: SecurityEnv): SecurityConfig {
  const production = e.NODE_ENV === 'production';
  return {
    keys: loadApiKeys(e.STRATA_API_KEYS, e.STRATA_API_KEYS_FILE),
    allowOpen: e.STRATA_ALLOW_OPEN,
    production,
    introspection: e.INTROSPECTION ?? !production,
    corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    persistedOnly: e.PERSISTED_OPERATIONS_ONLY,
    persistedFile: e.PERSISTED_OPERATIONS_FILE,
    query: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxCost: e.MAX_QUERY_COST,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxTokens: e.MAX_TOKENS,
      maxBatch: e.MAX_BATCH_SIZE,
      maxRequestBytes: e.MAX_REQUEST_BYTES,
    },
    rateLimit: { perSecond: e.RATE_LIMIT_PER_SECOND, burst: e.RATE_LIMIT_BURST },
    slowOperationMs: e.SLOW_OPERATION_MS,
  };
}
