import { randomUUID } from 'node:crypto';
import type { Registry } from './backends/registry.ts';
import type { Config } from './config.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { Logger } from './logger.ts';
import { EvaluationService } from './services/evaluations.ts';

/** What every resolver gets: the capabilities, the per-request loaders, and who/what is asking. */
export interface StrataContext {
  requestId: string;
  config: Config;
  registry: Registry;
  evaluations: EvaluationService;
  loaders: Loaders;
  logger: Logger;
}

/** Long-lived parts, built once at start and shared by every request. */
export interface AppDeps {
  config: Config;
  registry: Registry;
  logger: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function createContext(deps: AppDeps, request?: Request): StrataContext {
  const given = request?.headers.get('x-request-id');
  const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
  return {
    requestId,
    config: deps.config,
    registry: deps.registry,
    evaluations: new EvaluationService(deps.registry.evaluations, deps.config.limits),
    loaders: createLoaders(deps.registry.evaluations, deps.registry.graph),
    logger: deps.logger.child({ requestId }),
  };
}
