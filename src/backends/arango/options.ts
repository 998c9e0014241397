import type { ConfigOptions } from 'arangojs/configuration';
import type { GraphConfig } from '../../config.ts';

export type ArangoConfig = NonNullable<GraphConfig['arango']>;

/**
 * The arangojs Database options for ARANGO_URL and friends. Several URLs are coordinators of one
 * cluster, all equal (they are stateless), so requests go round-robin over them; arangojs's
 * default ("NONE") would send everything to the first until it fails. A request whose connection
 * is refused or times out is retried on the next coordinator (arangojs's default: up to one retry
 * per other URL), so a coordinator that is down costs a retry, not an error.
 *
 * poolSize is how many requests this process has in flight at once (arangojs queues the rest in
 * the process, over keep-alive connections). arangojs's default is 3 (3 per URL with round-robin),
 * fewer than the PostgreSQL pool a gateway already gets (DATABASE_POOL_MAX, 10): a burst of
 * traversals would wait in the gateway while the coordinators idle. So it is set explicitly
 * (ARANGO_POOL_SIZE), whatever the number of URLs.
 */
export function arangoDatabaseOptions(config: ArangoConfig): ConfigOptions {
  return {
    url: config.urls,
    databaseName: config.database,
    auth: { username: config.username, password: config.password },
    loadBalancingStrategy: config.urls.length > 1 ? 'ROUND_ROBIN' : 'NONE',
    poolSize: config.poolSize,
  };
}
