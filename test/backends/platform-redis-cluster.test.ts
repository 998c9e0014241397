import { after } from 'node:test';
import { kvRangeContract } from '../contract/kv-range.ts';
import { kvContract } from '../contract/kv.ts';
import { lockContract } from '../contract/locks.ts';
import { queueContract } from '../contract/queues.ts';
import { taskCounterContract } from '../contract/task-counters.ts';
import { timeSeriesContract } from '../contract/time-series.ts';
import { platformFactory } from '../support/platform.ts';
import { OwnRedisCluster, redisClusterUnavailable } from '../support/redis-cluster.ts';

// The same suites as platform-redis.test.ts, unchanged, on a real three-master Redis Cluster that
// this file starts (REDIS_CLUSTER_NODES, so the gateway's own Redis.Cluster client; each test
// under its own KEY_PREFIX).
if (!redisClusterUnavailable()) {
  const cluster = await OwnRedisCluster.start();
  after(() => cluster.stop());
  const open = platformFactory('redis', cluster.underTest());
  const name = `redis cluster (${cluster.nodesEnv})`;
  kvContract(name, open);
  kvRangeContract(name, open);
  queueContract(name, open);
  lockContract(name, open);
  taskCounterContract(name, open);
  timeSeriesContract(name, open);
}
