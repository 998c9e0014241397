import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';

/** The part of ioredis's ClusterSubscriber this reads: the connection its subscriptions are on now. */
interface ClusterSubscriber {
  getInstance(): Redis | null;
}

/**
 * Calls `moved` once a Redis Cluster client's pub/sub connection has moved to a new connection and
 * its channels are subscribed again there.
 *
 * ioredis's Cluster keeps every subscription on one connection to one node (its ClusterSubscriber).
 * When that connection ends while the cluster stays up (its node failed or left, the connection was
 * killed), ioredis picks a node, opens a new connection and subscribes the channels again, but says
 * nothing: the cluster stays "ready", so nothing tells the feed that what was published in between
 * is lost. There is no public event for it, so this follows the subscriber's connection itself
 * (`subscriber.getInstance()`, private in ioredis's types): when it ends, ioredis has already picked
 * the next one (its own "end" handler runs first); when that one is ready, a PING on it, sent after
 * ioredis's SUBSCRIBEs, answers once they are in place.
 *
 * The connection of a (re)connect of the whole cluster is not reported: the cluster's own "ready"
 * covers it. Returns false, and changes nothing, if this ioredis has no such subscriber.
 */
export function watchSubscriberMoves(cluster: Cluster, logger: Logger, moved: () => void): boolean {
  const subscriber = (cluster as unknown as { subscriber?: Partial<ClusterSubscriber> }).subscriber;
  if (typeof subscriber?.getInstance !== 'function') {
    logger.warn('subscriptions: this ioredis has no cluster subscriber to follow; a moved pub/sub connection will not resync subscribers');
    return false;
  }
  const current = () => (subscriber as ClusterSubscriber).getInstance();
  const followed = new WeakSet<Redis>();
  const follow = (connection: Redis | null, report: boolean) => {
    if (!connection || followed.has(connection)) return;
    followed.add(connection);
    // The next connection is picked in ioredis's "end" handler, which was registered first.
    connection.once('end', () => setImmediate(() => follow(current(), true)));
    if (!report) return;
    const confirm = () => void connection.ping().then(moved, () => {}); // failed: it ends, and the next one reports
    if (connection.status === 'ready') confirm();
    else connection.once('ready', confirm);
  };
  cluster.on('ready', () => follow(current(), false));
  return true;
}
