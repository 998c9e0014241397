import { kvRangeContract } from '../contract/kv-range.ts';
import { kvContract } from '../contract/kv.ts';
import { lockContract } from '../contract/locks.ts';
import { queueContract } from '../contract/queues.ts';
import { taskCounterContract } from '../contract/task-counters.ts';
import { timeSeriesContract } from '../contract/time-series.ts';
import { platformFactory } from '../support/platform.ts';

const open = platformFactory('memory');
kvContract('memory', open);
kvRangeContract('memory', open);
queueContract('memory', open);
lockContract('memory', open);
taskCounterContract('memory', open);
timeSeriesContract('memory', open);
