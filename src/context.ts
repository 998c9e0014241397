import { authenticate, credentialOf, type Caller } from './auth/caller.ts';
import type { Registry } from './backends/registry.ts';
import type { Config } from './config.ts';
import { requestIdOf } from './http/request-id.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { Logger } from './logger.ts';
import { EvaluationService } from './services/evaluations.ts';
import { LogService } from './services/logs.ts';
import { RunningService } from './services/running.ts';

/** What every resolver gets: the capabilities, the per-request loaders, and who/what is asking. */
export interface StrataContext {
  requestId: string;
  /** Who is asking (the API key's name and scopes); the schema's scope rules read it. */
  caller: Caller;
  config: Config;
  registry: Registry;
  evaluations: EvaluationService;
  running: RunningService;
  logs: LogService;
  loaders: Loaders;
  logger: Logger;
}

/** Long-lived parts, built once at start and shared by every request. */
export interface AppDeps {
  config: Config;
  registry: Registry;
  logger: Logger;
  /** Aborted when the server starts shutting down: subscriptions complete (server.ts sets it). */
  shutdown?: AbortSignal;
}

/**
 * `connectionParams` are a WebSocket connection's (graphql-ws); their `authorization` field counts
 * like the header. A key that matches nothing throws UNAUTHENTICATED before anything runs.
 */
export function createContext(deps: AppDeps, request?: Request, connectionParams?: Record<string, unknown>): StrataContext {
  const caller = authenticate(deps.config.security.keys, credentialOf(request, connectionParams));
  const requestId = requestIdOf(request);
  const { config, registry } = deps;
  return {
    requestId,
    caller,
    config,
    registry,
    ...requestParts(deps),
    logger: deps.logger.child(caller.keyName ? { requestId, key: caller.keyName } : { requestId }),
  };
}

/** The parts that cache what they read: new for every request, and for every subscription delivery. */
export type RequestParts = Pick<StrataContext, 'evaluations' | 'running' | 'logs' | 'loaders'>;

export function requestParts({ config, registry }: Pick<AppDeps, 'config' | 'registry'>): RequestParts {
  const { afterCommit } = registry;
  const evaluations = new EvaluationService(registry.evaluations, config.limits, afterCommit);
  const loaders = createLoaders(registry.evaluations, registry.graph, registry.running);
  const runningLimits = { running: config.running, maxMetadataBytes: config.limits.maxMetadataBytes };
  return {
    evaluations,
    running: new RunningService(registry.running, evaluations, registry.evaluations, loaders, runningLimits, afterCommit),
    logs: new LogService(registry.running, evaluations, loaders, config.running, afterCommit),
    loaders,
  };
}
