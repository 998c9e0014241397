import { queueInfo, queuePop, queuePush } from '../resolvers/platform.ts';
import type { QueueInfo } from '../services/platform/index.ts';
import { builder } from './builder.ts';

const QueueInfoRef = builder.objectRef<QueueInfo>('QueueInfo').implement({
  description: 'A first-in, first-out work queue.',
  fields: (t) => ({
    name: t.exposeString('name'),
    length: t.exposeInt('length', { description: 'Items waiting now.' }),
  }),
});

builder.queryFields((t) => ({
  queue: t.field({
    type: QueueInfoRef,
    description: 'A queue by name; one that was never pushed to has length 0.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (_, { name }, ctx) => queueInfo(ctx, name),
  }),
}));

builder.mutationFields((t) => ({
  queuePush: t.int({
    description: "Appends `item` (any JSON but null) at the queue's tail; returns the queue's length after the push.",
    args: { name: t.arg.string({ required: true }), item: t.arg({ type: 'JSON', required: true }) },
    resolve: (_, { name, item }, ctx) => queuePush(ctx, name, item),
  }),
  queuePop: t.field({
    type: 'JSON',
    nullable: true,
    description:
      'Takes the item at the head of the queue, waiting up to `timeoutMs` for one; null when none came. Each item ' +
      'goes to exactly one caller. A wait beyond QUEUE_MAX_WAIT_MS is refused. On Redis each waiting pop holds one ' +
      'of QUEUE_POP_CONNECTIONS connections; when all are busy the pop waits for one within its timeout, then ' +
      'tries once without waiting.',
    args: {
      name: t.arg.string({ required: true }),
      timeoutMs: t.arg.int({ description: 'Milliseconds to wait for an item; omitted or 0: do not wait.' }),
    },
    resolve: (_, { name, timeoutMs }, ctx) => queuePop(ctx, name, timeoutMs),
  }),
}));
