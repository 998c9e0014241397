import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { createContext, type AppDeps, type StrataContext } from './context.ts';
import { exposeYogaServer, yogaServerPlugin } from './http/fast-path.ts';
import { trackPool } from './observability/metrics.ts';
import { useBatchOrder } from './plugins/use-batch-order.ts';
import { useCompiledExecution } from './plugins/use-compiled-execution.ts';
import { useErrorCodes } from './plugins/use-error-codes.ts';
import { useExplorer } from './plugins/use-explorer.ts';
import { useIdempotency } from './plugins/use-idempotency.ts';
import { useReadiness } from './plugins/use-readiness.ts';
import { useReadRouting } from './plugins/use-read-routing.ts';
import { useRestRoutes } from './plugins/use-rest-routes.ts';
import { useTextDownloads } from './plugins/use-text-downloads.ts';
import { useTextUploads } from './plugins/use-text-uploads.ts';
import { schema } from './schema/index.ts';
import { guardPlugins, operationPlugins, securityServerOptions } from './security.ts';

export type StrataYoga = YogaServerInstance<Record<string, unknown>, StrataContext>;

/**
 * Builds the GraphQL server without listening: tests call `yoga.fetch('http://yoga/graphql', ...)`
 * in-process, `server.ts` mounts it on node:http.
 */
export function createStrataYoga(deps: AppDeps): StrataYoga {
  trackPool(deps.registry.sql);
  const core = yogaServerPlugin(); // for the fast path of server.ts
  const yoga: StrataYoga = createYoga<Record<string, unknown>, StrataContext>({
    schema,
    graphqlEndpoint: '/graphql',
    context: ({ request, connectionParams }) => createContext(deps, request, connectionParams as Record<string, unknown> | undefined),
    plugins: [core, useCompiledExecution(), ...explorerPlugins(deps), ...guardPlugins(deps), useIdempotency(deps), useErrorCodes(), useTextDownloads(deps), useTextUploads(deps), useReadiness(deps), useRestRoutes(deps, (): StrataYoga => yoga), ...operationPlugins(deps), ...batchOrderPlugins(deps), ...useReadRouting(deps)],
    logging: {
      debug: (...args) => deps.logger.debug(args.map(String).join(' ')),
      info: (...args) => deps.logger.info(args.map(String).join(' ')),
      warn: (...args) => deps.logger.warn(args.map(String).join(' ')),
      error: (...args) => deps.logger.error({ err: args[0] }, 'yoga error'),
    },
    ...securityServerOptions(deps),
  });
  exposeYogaServer(yoga, core);
  return yoga;
}

/** The Storage Explorer page goes before the guards: it holds no data and needs no key. */
const explorerPlugins = (deps: AppDeps) =>
  deps.config.explorer.enabled ? [useExplorer({ logger: deps.logger, persistedOperations: deps.config.security.persistedOnly })] : [];

/**
 * Operations of one batch run in order behind its mutations (use-batch-order.ts): yoga runs them
 * concurrently, so `[mutation, query]` could read before the write. Placed after every plugin that
 * may replace an operation's text (persisted operations), as the plugin needs.
 */
const batchOrderPlugins = (deps: AppDeps) => {
  const { maxBatch, maxTokens } = deps.config.security.query;
  return maxBatch > 0 ? [useBatchOrder({ maxTokens })] : [];
};
