import { builder } from './builder.ts';
import './scalars.ts';
import './enums.ts';
import './stored-text.ts';
import './event.ts';
import './metric.ts';
import './evaluation.ts';
import './evaluation-mutations.ts';
import './graph.ts';
import './graph-mutations.ts';
import './statistics.ts';
import './storage.ts';
import './kv.ts';
import './queue.ts';
import './lock.ts';
import './task-stats.ts';
import './series.ts';

export const schema = builder.toSchema({ sortSchema: false });
