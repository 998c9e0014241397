import { z } from 'zod';
import { StartupError } from './errors.ts';

/** host:port, or [IPv6]:port; the host part is anything without spaces, commas or slashes. */
const NODE = /^(\[[0-9A-Fa-f:.]+\]|[^\s,/:[\]]+):(\d{1,5})$/;

/**
 * Environment of Redis Cluster (issue 9). config.ts merges it into its schema, so it is
 * validated, named in errors and documented like the rest.
 */
export const redisClusterEnv = {
  REDIS_CLUSTER_NODES: z
    .string()
    .refine((v) => v.split(',').every((n) => isNode(n.trim())), 'comma-separated host:port pairs (e.g. 10.0.0.1:7000,10.0.0.2:7000)')
    .optional(),
};

function isNode(text: string): boolean {
  const m = NODE.exec(text);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
}

/** Seed nodes of a Redis Cluster: ioredis asks them for the slot map and finds the rest itself. */
export interface RedisClusterConfig {
  nodes: { host: string; port: number }[];
}

/**
 * REDIS_CLUSTER_NODES, or null. REDIS_URL (one server) and REDIS_CLUSTER_NODES (a cluster) name
 * the same Redis in two ways; both set is refused rather than one silently ignored.
 */
export function redisClusterConfig(e: { REDIS_URL?: string | undefined; REDIS_CLUSTER_NODES?: string | undefined }): RedisClusterConfig | null {
  if (!e.REDIS_CLUSTER_NODES) return null;
  if (e.REDIS_URL) {
    throw new StartupError('Set REDIS_URL (one Redis server) or REDIS_CLUSTER_NODES (the seed nodes of a Redis Cluster), not both.');
  }
  const nodes = e.REDIS_CLUSTER_NODES.split(',').map((n) => {
    const [, host, port] = NODE.exec(n.trim())!;
    return { host: host!.replace(/^\[(.*)\]$/, '$1'), port: Number(port) };
  });
  return { nodes };
}
