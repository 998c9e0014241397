import { readFileSync } from 'node:fs';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { CORSOptions, Plugin, YogaServerOptions } from 'graphql-yoga';
import type { AppDeps, StrataContext } from './context.ts';
import { StartupError } from './errors.ts';
import { boundedDocumentCache } from './observability/bounded-cache.ts';
import { metricsRegistry } from './observability/metrics.ts';
import { useAuditLog } from './plugins/use-audit-log.ts';
import { useGracefulShutdown } from './plugins/use-graceful-shutdown.ts';
import { useMetricsEndpoint } from './plugins/use-metrics-endpoint.ts';
import { maskUnexpectedError } from './plugins/mask-error.ts';
import { useOperationMetrics } from './plugins/use-operation-metrics.ts';
import { usePersistedOnly } from './plugins/use-persisted-only.ts';
import { useQueryCost } from './plugins/use-query-cost.ts';
import { useQueryLimits } from './plugins/use-query-limits.ts';
import { useRateLimit } from './plugins/use-rate-limit.ts';
import { useRequestParseErrors } from './plugins/use-request-parse-errors.ts';
import { useRestGuard } from './plugins/use-rest-guard.ts';
import { useSlowOperationLog } from './plugins/use-slow-operation-log.ts';

type YogaOptions = YogaServerOptions<Record<string, unknown>, StrataContext>;

const GRAPHQL_ENDPOINT = '/graphql';

/** The persisted-operations manifest codegen writes: sha256 of each document -> its text. */
function loadManifest(file: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (cause) {
    throw new StartupError(`PERSISTED_OPERATIONS_ONLY=true needs the manifest PERSISTED_OPERATIONS_FILE=${file}: ${(cause as Error).message}. Run \`npm run codegen\` to write it.`, { cause });
  }
}

function cors(origins: string[]): CORSOptions | false {
  if (origins.length === 0) return false;
  return { origin: origins.includes('*') ? '*' : origins, credentials: false, allowedHeaders: ['content-type', 'authorization', 'x-request-id', 'x-graphql-yoga-csrf'] };
}

/**
 * Yoga server options of issue 7 (access, limits, production mode): CORS, batching, body size,
 * GraphiQL. Merged into createYoga's options by yoga.ts.
 */
export function securityServerOptions(deps: AppDeps): Pick<YogaOptions, 'cors' | 'batching' | 'maxRequestBodySize' | 'graphiql' | 'parserAndValidationCache' | 'maskedErrors'> {
  const s = deps.config.security;
  return {
    cors: cors(s.corsOrigins),
    batching: s.query.maxBatch > 0 ? { limit: s.query.maxBatch } : false,
    maxRequestBodySize: s.query.maxRequestBytes,
    // GraphiQL needs introspection; without it, it would be an empty page.
    graphiql: s.introspection ? { title: 'Strata' } : false,
    // Still on (issue 10 measured it), but bounded by the length of the documents it keeps as well
    // as by entries (bounded-cache.ts). Validation results and compiled queries are kept per parsed
    // document (WeakMaps), so they go when the document does.
    parserAndValidationCache: { documentCache: boundedDocumentCache(), errorCache: boundedDocumentCache(), validationCache: true },
    maskedErrors: { maskError: maskUnexpectedError(deps.logger) },
  };
}

// The plugins below are typed for different contexts (yoga's, envelop's, ours): Plugin<any> lets
// yoga.ts hold them in one list, as createYoga's own `plugins` option does.

/**
 * Plugins that decide whether a request may run at all. They go before every other plugin: the
 * REST guard must see a request before any route answers it.
 */
export function guardPlugins(deps: AppDeps): Plugin<any>[] {
  const s = deps.config.security;
  const plugins: Plugin<any>[] = [
    useRestGuard({ keys: s.keys, graphqlEndpoint: GRAPHQL_ENDPOINT, publicPaths: ['/health', '/ready'] }),
    // Authorization counts as a CSRF header: a browser cannot add it to a cross-site request unasked.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'authorization'] }),
    useRequestParseErrors(),
    useQueryLimits({ ...s.query, blockSuggestions: s.production }),
  ];
  if (!s.introspection) plugins.push(useDisableIntrospection());
  if (s.persistedOnly) plugins.push(usePersistedOnly({ manifest: loadManifest(s.persistedFile) }));
  return plugins;
}

/**
 * Plugins around execution. They go after useErrorCodes, so they see coded errors: metrics and
 * the slow log first (they also count refused operations), then the refusals (rate limit, cost),
 * then the audit log, which so records only operations that ran.
 */
export function operationPlugins(deps: AppDeps): Plugin<any>[] {
  const s = deps.config.security;
  const plugins: Plugin<any>[] = [
    useMetricsEndpoint({ registry: metricsRegistry, path: '/metrics' }),
    useOperationMetrics(),
    useSlowOperationLog({ thresholdMs: s.slowOperationMs }),
    useRateLimit(deps),
    useQueryCost({ maxCost: s.query.maxCost, defaultPageSize: deps.config.limits.defaultPageSize, maxPageSize: deps.config.limits.maxPageSize }),
    useAuditLog(),
  ];
  if (deps.shutdown) plugins.push(useGracefulShutdown({ signal: deps.shutdown }));
  return plugins;
}
