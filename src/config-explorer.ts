import { z } from 'zod';
import { bool } from './config-values.ts';

/**
 * Environment variables of the Storage Explorer (issue 8). config.ts merges them into its schema,
 * so they are validated, named in errors and documented like the rest.
 */
export const explorerEnv = {
  EXPLORER_ENABLED: bool.default('true'),
};

type ExplorerEnv = z.infer<z.ZodObject<typeof explorerEnv>>;

export interface ExplorerConfig {
  /**
   * Serve the Storage Explorer at /explorer (src/plugins/use-explorer.ts). The page holds no data:
   * it reads through /graphql with the caller's own API key, so it is served without one.
   * @default true
   */
  enabled: boolean;
}

export function explorerConfig(e: ExplorerEnv): ExplorerConfig {
  return { enabled: e.EXPLORER_ENABLED };
}
