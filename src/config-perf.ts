import { z } from 'zod';
import { bool } from './config-values.ts';

/**
 * Environment variables of the request path's performance (issue 10). config.ts merges them into
 * its schema, so they are validated, named in errors and documented like the rest.
 */
export const perfEnv = {
  GRAPHQL_FAST_PATH: bool.default('true'),
};

type PerfEnv = z.infer<z.ZodObject<typeof perfEnv>>;

export interface PerfConfig {
  /**
   * Plain `POST /graphql` JSON requests skip yoga's fetch-API adapter (src/http/fast-path.ts) and go
   * straight to yoga's own handler; off, every request takes yoga's full path. Same responses
   * either way (test/api/fast-path-parity.test.ts). @default true
   */
  fastPath: boolean;
}

export function perfConfig(e: PerfEnv): PerfConfig {
  return { fastPath: e.GRAPHQL_FAST_PATH };
}
