import { z } from 'zod';
import { StartupError } from './errors.ts';

const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s,]+$/;

/**
 * Environment of PostgreSQL read replicas (issue 9). config.ts merges it into its schema, so it
 * is validated, named in errors and documented like the rest.
 */
export const readReplicaEnv = {
  DATABASE_READ_URL: z
    .string()
    .refine((v) => v.split(',').every((u) => POSTGRES_URL.test(u.trim())), 'comma-separated postgres:// or postgresql:// URLs of hot standbys')
    .optional(),
  DATABASE_READ_YOUR_WRITES_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
};

type ReadReplicaEnv = z.infer<z.ZodObject<typeof readReplicaEnv>>;

/** Hot standbys that serve the read-only statements of GraphQL queries (read-routing.ts). */
export interface ReadReplicaConfig {
  urls: string[];
  /**
   * After an API key's mutation wrote to the primary, that key's reads go to the primary for this
   * many milliseconds (in Redis when configured, so every gateway process honours it). 0: off; a
   * client then relies on the consistency token alone. @default 1000
   */
  readYourWritesMs: number;
}

/** DATABASE_READ_URL, or null. Replicas are only meaningful next to a PostgreSQL server primary. */
export function readReplicaConfig(e: ReadReplicaEnv & { DATABASE_URL?: string | undefined; STORAGE_BACKEND?: string | undefined }): ReadReplicaConfig | null {
  if (!e.DATABASE_READ_URL) return null;
  if (e.STORAGE_BACKEND === 'memory' || !e.DATABASE_URL) {
    throw new StartupError(
      'DATABASE_READ_URL needs DATABASE_URL: read replicas are hot standbys of a PostgreSQL server primary, and the embedded ' +
        'database (or STORAGE_BACKEND=memory) has none. Set DATABASE_URL to the primary, or unset DATABASE_READ_URL.',
    );
  }
  const urls = e.DATABASE_READ_URL.split(',').map((u) => u.trim());
  return { urls, readYourWritesMs: e.DATABASE_READ_YOUR_WRITES_MS };
}
