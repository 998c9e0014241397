import { z } from 'zod';
import { bool } from './config-values.ts';
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
  // A cluster has no URL to carry credentials or rediss:// (REDIS_URL does), so they come apart.
  // Every node gets the same ones: a cluster shares its ACL users and its TLS setup.
  REDIS_CLUSTER_USERNAME: z.string().regex(/^[^\s]{1,256}$/, 'an ACL user name without spaces').optional(),
  // No format check: a message about a bad value would print the password.
  REDIS_CLUSTER_PASSWORD: z.string().optional(),
  REDIS_CLUSTER_TLS: bool.optional(),
};

function isNode(text: string): boolean {
  const m = NODE.exec(text);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
}

/** Seed nodes of a Redis Cluster: ioredis asks them for the slot map and finds the rest itself. */
export interface RedisClusterConfig {
  nodes: { host: string; port: number }[];
  /** AUTH for every node: `username` is an ACL user (Redis 6+); null with the default user. */
  username: string | null;
  password: string | null;
  /** TLS to every node, verified against Node's CA store (add a private CA with NODE_EXTRA_CA_CERTS). */
  tls: boolean;
}

type ClusterEnv = {
  REDIS_URL?: string | undefined;
  REDIS_CLUSTER_NODES?: string | undefined;
  REDIS_CLUSTER_USERNAME?: string | undefined;
  REDIS_CLUSTER_PASSWORD?: string | undefined;
  REDIS_CLUSTER_TLS?: boolean | undefined;
};

/**
 * REDIS_CLUSTER_NODES with its credentials and TLS, or null. REDIS_URL (one server) and
 * REDIS_CLUSTER_NODES (a cluster) name the same Redis in two ways; both set is refused rather than
 * one silently ignored, and so are cluster settings without a cluster (REDIS_URL carries its own).
 */
export function redisClusterConfig(e: ClusterEnv): RedisClusterConfig | null {
  const extras = (['REDIS_CLUSTER_USERNAME', 'REDIS_CLUSTER_PASSWORD', 'REDIS_CLUSTER_TLS'] as const).filter((name) => e[name] !== undefined);
  if (!e.REDIS_CLUSTER_NODES) {
    if (extras.length > 0) {
      throw new StartupError(`${extras.join(', ')} apply to REDIS_CLUSTER_NODES only; with REDIS_URL put them in the URL (rediss://user:password@host:port).`);
    }
    return null;
  }
  if (e.REDIS_URL) {
    throw new StartupError('Set REDIS_URL (one Redis server) or REDIS_CLUSTER_NODES (the seed nodes of a Redis Cluster), not both.');
  }
  // Redis would refuse AUTH user with no password anyway; say so at start, not at the first command.
  if (e.REDIS_CLUSTER_USERNAME && !e.REDIS_CLUSTER_PASSWORD) {
    throw new StartupError('REDIS_CLUSTER_USERNAME needs REDIS_CLUSTER_PASSWORD (an ACL user logs in with both).');
  }
  const nodes = e.REDIS_CLUSTER_NODES.split(',').map((n) => {
    const [, host, port] = NODE.exec(n.trim())!;
    return { host: host!.replace(/^\[(.*)\]$/, '$1'), port: Number(port) };
  });
  return { nodes, username: e.REDIS_CLUSTER_USERNAME ?? null, password: e.REDIS_CLUSTER_PASSWORD ?? null, tls: e.REDIS_CLUSTER_TLS ?? false };
}
