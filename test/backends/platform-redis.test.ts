import { kvRangeContract } from '../contract/kv-range.ts';
import { kvContract } from '../contract/kv.ts';
import { lockContract } from '../contract/locks.ts';
import { queueContract } from '../contract/queues.ts';
import { taskCounterContract } from '../contract/task-counters.ts';
import { timeSeriesContract } from '../contract/time-series.ts';
import { platformFactory } from '../support/platform.ts';
import { redisUnavailable, TEST_REDIS_URL } from '../support/redis.ts';

// The same suites as platform-memory.test.ts, on the real Redis (each test under its own KEY_PREFIX).
if (!(await redisUnavailable())) {
  const open = platformFactory('redis');
  const name = `redis (${TEST_REDIS_URL})`;
  kvContract(name, open);
  kvRangeContract(name, open);
  queueContract(name, open);
  lockContract(name, open);
  taskCounterContract(name, open);
  timeSeriesContract(name, open);
}
